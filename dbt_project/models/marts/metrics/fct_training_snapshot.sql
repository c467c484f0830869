-- Snapshot D × class participation × the trainee's list at D: every participation in a class
-- that started on or before D, counted as at D (contract §10: nothing after D counts).
-- A trainee in the pool at D has one row per list they are on, with their region and sector
-- at D; a trainee outside the pool has one row with no list, region or sector. Measures count
-- distinct persons, so a person is counted once whatever their lists.
with

snapshots as (

    select * from {{ ref('int_snapshots') }}

),

participants as (

    select * from {{ ref('fct_training_participation') }}

),

classes as (

    select * from {{ ref('dim_class') }}

),

memberships as (

    select * from {{ ref('fct_pool_membership') }}

),

leadership_starts as (

    select person_key, start_date
    from {{ ref('int_appointment_tenures') }}
    where appointment_category = '领导职务'

),

at_snapshot as (

    select
        snapshots.snapshot_date,
        snapshots.window_start,
        participants.class_id,
        participants.person_key,
        participants.completion_status,
        classes.class_name,
        classes.training_type,
        classes.host_level,
        classes.start_date,
        classes.start_year

    from snapshots
    inner join participants on true
    inner join classes
        on participants.class_id = classes.class_id
        and classes.start_date <= snapshots.snapshot_date

),

placed as (

    select distinct
        at_snapshot.snapshot_date,
        at_snapshot.class_id,
        at_snapshot.person_key

    from at_snapshot
    inner join leadership_starts
        on at_snapshot.person_key = leadership_starts.person_key
        and leadership_starts.start_date >= at_snapshot.start_date
        and leadership_starts.start_date <= at_snapshot.snapshot_date

),

final as (

    select
        at_snapshot.snapshot_date || '|' || at_snapshot.class_id || '|' || at_snapshot.person_key
            || '|' || coalesce(cast(memberships.list_id as varchar), '-') as training_snapshot_key,
        at_snapshot.snapshot_date,
        at_snapshot.class_id,
        at_snapshot.class_name,
        at_snapshot.training_type,
        at_snapshot.host_level,
        at_snapshot.start_date,
        at_snapshot.start_year,
        -- 近三年 at D: a class start in (D − 3 years, D]
        at_snapshot.start_date > at_snapshot.window_start as is_in_last_three_years,
        at_snapshot.person_key,
        at_snapshot.completion_status,
        placed.person_key is not null as was_placed_after,
        memberships.person_key is not null as is_in_pool,
        memberships.list_name,
        memberships.region_name,
        memberships.sector,
        memberships.generation

    from at_snapshot
    left join placed
        on at_snapshot.snapshot_date = placed.snapshot_date
        and at_snapshot.class_id = placed.class_id
        and at_snapshot.person_key = placed.person_key
    left join memberships
        on at_snapshot.snapshot_date = memberships.snapshot_date
        and at_snapshot.person_key = memberships.person_key

)

select * from final
