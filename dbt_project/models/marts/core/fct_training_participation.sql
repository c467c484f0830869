with

participants as (

    select * from {{ ref('int_training_participants') }}

),

classes as (

    select * from {{ ref('dim_class') }}

),

persons as (

    select * from {{ ref('dim_person') }}

),

final as (

    select
        participants.class_id,
        participants.person_key,
        participants.completion_status,
        classes.training_type,
        classes.host_level,
        classes.start_date,
        classes.start_year,
        coalesce(persons.is_in_pool, false) as is_in_pool

    from participants
    inner join classes on participants.class_id = classes.class_id
    left join persons on participants.person_key = persons.person_key

)

select * from final
