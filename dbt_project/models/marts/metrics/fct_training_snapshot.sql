-- Snapshot D × class participation: every participation in a class that started on or before
-- D, counted as at D (contract §10: nothing after D counts), with the class's 近三年 flag at D
-- (fct_class_snapshot) and 培训后任职 at D (int_training_snapshot). A trainee in the pool at D
-- carries their lists (an array), region and sector at D; a trainee outside the pool none.
-- Measures count distinct persons (a person may attend several classes).
with

training as (

    select * from {{ ref('int_training_snapshot') }}

),

classes as (

    select * from {{ ref('fct_class_snapshot') }}

),

participants as (

    select * from {{ ref('fct_training_participation') }}

),

persons as (

    select person_key, person_id from {{ ref('dim_person') }}

),

pool as (

    select snapshot_date, person_id, list_names, region_name, sector, generation
    from {{ ref('fct_pool_snapshot') }}

),

final as (

    select
        training.snapshot_date,
        training.class_id,
        classes.class_name,
        classes.training_type,
        classes.host_level,
        classes.start_date,
        classes.start_year,
        classes.is_in_last_three_years,
        training.person_key,
        persons.person_id,
        participants.completion_status,
        training.was_placed_after,
        pool.person_id is not null as is_in_pool,
        pool.list_names,
        pool.region_name,
        pool.sector,
        pool.generation

    from training
    inner join classes
        on training.snapshot_date = classes.snapshot_date
        and training.class_id = classes.class_id
    inner join participants
        on training.class_id = participants.class_id
        and training.person_key = participants.person_key
    left join persons on training.person_key = persons.person_key
    left join pool
        on training.snapshot_date = pool.snapshot_date
        and persons.person_id = pool.person_id

)

select * from final
order by snapshot_date
