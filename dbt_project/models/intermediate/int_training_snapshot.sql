-- Snapshot D × class participation: every participation in a class that started on or before D
-- (nothing after D counts), and whether the trainee took up a 领导职务 post on or after the
-- class's start and on or before D (培训后任职, as at D). The one definition of both rules.
with

snapshots as (

    select * from {{ ref('int_snapshots') }}

),

participants as (

    select * from {{ ref('int_training_participants') }}

),

classes as (

    select class_id, start_date from {{ ref('stg_landing__training_classes') }}

),

leadership_starts as (

    select person_key, start_date
    from {{ ref('int_appointment_tenures') }}
    where appointment_category = '领导职务'

),

at_snapshot as (

    select
        snapshots.snapshot_date,
        participants.class_id,
        participants.person_key,
        classes.start_date as class_start_date

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
        and leadership_starts.start_date >= at_snapshot.class_start_date
        and leadership_starts.start_date <= at_snapshot.snapshot_date

),

final as (

    select
        at_snapshot.snapshot_date,
        at_snapshot.class_id,
        at_snapshot.person_key,
        at_snapshot.class_start_date,
        placed.person_key is not null as was_placed_after

    from at_snapshot
    left join placed
        on at_snapshot.snapshot_date = placed.snapshot_date
        and at_snapshot.class_id = placed.class_id
        and at_snapshot.person_key = placed.person_key

)

select * from final
