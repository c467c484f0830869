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

leadership_starts as (

    select person_key, start_date
    from {{ ref('int_appointment_tenures') }}
    where appointment_category = '领导职务'

),

placed_after as (

    select distinct
        participants.class_id,
        participants.person_key

    from participants
    inner join classes on participants.class_id = classes.class_id
    inner join leadership_starts
        on participants.person_key = leadership_starts.person_key
        and leadership_starts.start_date >= classes.start_date

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
        classes.is_in_last_three_years,
        coalesce(persons.is_in_pool, false) as is_in_pool,
        placed_after.person_key is not null as was_placed_after

    from participants
    inner join classes on participants.class_id = classes.class_id
    left join persons on participants.person_key = persons.person_key
    left join placed_after
        on participants.class_id = placed_after.class_id
        and participants.person_key = placed_after.person_key

)

select * from final
