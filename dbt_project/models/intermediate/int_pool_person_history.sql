-- Person: which snapshots they were on; in the pool = on the latest snapshot; otherwise they
-- left the pool (出库) as of the first snapshot after their last one (contract §2).
with

person_snapshots as (

    select * from {{ ref('int_pool_person_snapshot') }}

),

snapshots as (

    select distinct snapshot_date from person_snapshots

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

persons as (

    select
        person_key,
        min(snapshot_date) as first_snapshot_date,
        max(snapshot_date) as last_snapshot_date,
        count(*) as snapshot_count

    from person_snapshots
    group by person_key

),

next_snapshot as (

    select
        persons.person_key,
        min(snapshots.snapshot_date) as next_snapshot_date

    from persons
    inner join snapshots on snapshots.snapshot_date > persons.last_snapshot_date
    group by persons.person_key

),

final as (

    select
        persons.person_key,
        persons.first_snapshot_date,
        persons.last_snapshot_date,
        persons.snapshot_count,
        persons.last_snapshot_date = as_of.as_of_date as is_in_pool,
        case
            when persons.last_snapshot_date < as_of.as_of_date
                then next_snapshot.next_snapshot_date
        end as left_pool_date

    from persons
    cross join as_of
    left join next_snapshot on persons.person_key = next_snapshot.person_key

)

select * from final
