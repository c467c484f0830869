-- Snapshot D × class participation × the trainee's list at D: every participation in a class
-- that started on or before D, counted as at D (contract §10: nothing after D counts), with the
-- class's 近三年 flag at D (fct_class_snapshot) and 培训后任职 at D (int_training_snapshot).
-- A trainee in the pool at D has one row per list they are on, with their region and sector
-- at D; a trainee outside the pool has one row with no list, region or sector. Measures count
-- distinct persons, so a person is counted once whatever their lists.
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

memberships as (

    select * from {{ ref('fct_pool_membership') }}

),

final as (

    select
        training.snapshot_date || '|' || training.class_id || '|' || training.person_key
            || '|' || coalesce(cast(memberships.list_id as varchar), '-') as training_snapshot_key,
        training.snapshot_date,
        training.class_id,
        classes.class_name,
        classes.training_type,
        classes.host_level,
        classes.start_date,
        classes.start_year,
        classes.is_in_last_three_years,
        training.person_key,
        participants.completion_status,
        training.was_placed_after,
        memberships.person_key is not null as is_in_pool,
        memberships.list_name,
        memberships.region_name,
        memberships.sector,
        memberships.generation

    from training
    inner join classes
        on training.snapshot_date = classes.snapshot_date
        and training.class_id = classes.class_id
    inner join participants
        on training.class_id = participants.class_id
        and training.person_key = participants.person_key
    left join memberships
        on training.snapshot_date = memberships.snapshot_date
        and training.person_key = memberships.person_key

)

select * from final
