-- Snapshot: how many persons are in the pool, how many came in since the previous snapshot
-- and how many left it (出库) at this snapshot.
with

person_snapshots as (

    select snapshot_date, person_key from {{ ref('fct_pool_person_snapshot') }}

),

snapshots as (

    select
        snapshot_date,
        lag(snapshot_date) over (order by snapshot_date) as previous_snapshot_date

    from (select distinct snapshot_date from person_snapshots)

),

present as (

    select
        snapshots.snapshot_date,
        snapshots.previous_snapshot_date,
        previous_pool.person_key is not null as was_in_previous

    from snapshots
    inner join person_snapshots as current_pool
        on current_pool.snapshot_date = snapshots.snapshot_date
    left join person_snapshots as previous_pool
        on previous_pool.snapshot_date = snapshots.previous_snapshot_date
        and previous_pool.person_key = current_pool.person_key

),

gone as (

    select
        snapshots.snapshot_date,
        count(*) as left_pool

    from snapshots
    inner join person_snapshots as previous_pool
        on previous_pool.snapshot_date = snapshots.previous_snapshot_date
    left join person_snapshots as current_pool
        on current_pool.snapshot_date = snapshots.snapshot_date
        and current_pool.person_key = previous_pool.person_key
    where current_pool.person_key is null
    group by snapshots.snapshot_date

),

counted as (

    select
        snapshot_date,
        previous_snapshot_date,
        count(*) as persons,
        count_if(not was_in_previous) as entered,
        count_if(was_in_previous) as stayed

    from present
    group by snapshot_date, previous_snapshot_date

),

final as (

    select
        counted.snapshot_date,
        counted.previous_snapshot_date,
        counted.persons,
        -- the first snapshot has nothing to compare with
        case when counted.previous_snapshot_date is not null then counted.entered end as entered,
        case when counted.previous_snapshot_date is not null
            then coalesce(gone.left_pool, 0) end as left_pool,
        case when counted.previous_snapshot_date is not null then counted.stayed end as stayed

    from counted
    left join gone on counted.snapshot_date = gone.snapshot_date

)

select * from final
