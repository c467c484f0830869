with

classes as (

    select * from {{ ref('stg_landing__training_classes') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

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
        classes.hours,
        -- "in the last three years": a date in (as-of − 3 years, as-of] (contract §10)
        (
            classes.start_date > as_of.window_start
            and classes.start_date <= as_of.as_of_date
        ) as is_in_last_three_years

    from classes
    cross join as_of

)

select * from final
