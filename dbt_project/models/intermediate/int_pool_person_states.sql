-- Person × snapshot, from the person's first snapshot on: what they were at each snapshot
-- (readiness, rank, sector, region, lists), or that they were not in the pool then
-- (is_in_pool false, attributes NULL). The input of the pool's history (dim_person_history).
with

person_snapshots as (

    select * from {{ ref('int_pool_person_snapshot') }}

),

memberships as (

    select * from {{ ref('int_pool_list_memberships') }}

),

snapshots as (

    select distinct snapshot_date from person_snapshots

),

persons as (

    select
        person_key,
        min(snapshot_date) as first_snapshot_date

    from person_snapshots
    group by person_key

),

lists as (

    select
        snapshot_date,
        person_key,
        -- sorted by name, so the same lists always read the same
        string_agg(list_name, '|' order by list_name) as list_names

    from memberships
    group by snapshot_date, person_key

),

grid as (

    select
        persons.person_key,
        snapshots.snapshot_date

    from persons
    inner join snapshots on snapshots.snapshot_date >= persons.first_snapshot_date

),

final as (

    select
        grid.snapshot_date,
        grid.person_key,
        person_snapshots.person_key is not null as is_in_pool,
        person_snapshots.readiness,
        person_snapshots.rank,
        person_snapshots.sector,
        person_snapshots.region_name,
        lists.list_names

    from grid
    left join person_snapshots
        on grid.snapshot_date = person_snapshots.snapshot_date
        and grid.person_key = person_snapshots.person_key
    left join lists
        on grid.snapshot_date = lists.snapshot_date
        and grid.person_key = lists.person_key

)

select * from final
