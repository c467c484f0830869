-- Snapshot × person in the pool: how far they went along 源头选苗 → 培训锻炼 → 梯次选配 by D.
-- Trained: took part in a class that started on or before D. Placed after training: took up a
-- 领导职务 post on or after the start of such a class, and on or before D (int_training_snapshot).
with

person_snapshots as (

    select snapshot_date, person_key from {{ ref('int_pool_person_snapshot') }}

),

training as (

    select * from {{ ref('int_training_snapshot') }}

),

progress as (

    select
        snapshot_date,
        person_key,
        bool_or(was_placed_after) as was_placed_after_training

    from training
    group by snapshot_date, person_key

),

final as (

    select
        person_snapshots.snapshot_date,
        person_snapshots.person_key,
        progress.person_key is not null as was_trained,
        coalesce(progress.was_placed_after_training, false) as was_placed_after_training

    from person_snapshots
    left join progress
        on person_snapshots.snapshot_date = progress.snapshot_date
        and person_snapshots.person_key = progress.person_key

)

select * from final
