-- Snapshot × person in the pool: how far they went along 源头选苗 → 培训锻炼 → 梯次选配 by D.
-- Trained: took part in a class that started on or before D. Placed after training: took up a
-- 领导职务 post on or after the start of such a class, and on or before D.
with

person_snapshots as (

    select snapshot_date, person_key from {{ ref('int_pool_person_snapshot') }}

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

first_class as (

    select
        person_snapshots.snapshot_date,
        person_snapshots.person_key,
        min(classes.start_date) as first_class_start

    from person_snapshots
    inner join participants on person_snapshots.person_key = participants.person_key
    inner join classes
        on participants.class_id = classes.class_id
        and classes.start_date <= person_snapshots.snapshot_date
    group by person_snapshots.snapshot_date, person_snapshots.person_key

),

placed as (

    select distinct
        first_class.snapshot_date,
        first_class.person_key

    from first_class
    inner join leadership_starts
        on first_class.person_key = leadership_starts.person_key
        and leadership_starts.start_date >= first_class.first_class_start
        and leadership_starts.start_date <= first_class.snapshot_date

),

final as (

    select
        person_snapshots.snapshot_date,
        person_snapshots.person_key,
        first_class.person_key is not null as was_trained,
        placed.person_key is not null as was_placed_after_training

    from person_snapshots
    left join first_class
        on person_snapshots.snapshot_date = first_class.snapshot_date
        and person_snapshots.person_key = first_class.person_key
    left join placed
        on person_snapshots.snapshot_date = placed.snapshot_date
        and person_snapshots.person_key = placed.person_key

)

select * from final
