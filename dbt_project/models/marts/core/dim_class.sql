with

classes as (

    select * from {{ ref('stg_landing__training_classes') }}

),

final as (

    select
        classes.class_id,
        classes.class_name,
        classes.training_type,
        classes.host_level,
        classes.host_org,
        classes.start_date,
        classes.end_date,
        year(classes.start_date) as start_year,
        classes.hours

    from classes

)

select * from final
