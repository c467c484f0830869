-- mart_pool_movements agrees with mart_pool_flows_by_snapshot at every snapshot but the first:
-- persons now in the pool, persons who entered and persons who left are the same counts.
with

movements as (

    select
        snapshot_date,
        sum(persons) filter (where to_readiness <> '不在库') as persons,
        sum(persons) filter (where from_readiness = '不在库') as entered,
        sum(persons) filter (where to_readiness = '不在库') as left_pool

    from {{ ref('mart_pool_movements') }}
    group by snapshot_date

),

flows as (

    select * from {{ ref('mart_pool_flows_by_snapshot') }}
    where previous_snapshot_date is not null

)

select
    flows.snapshot_date,
    flows.persons,
    movements.persons as persons_in_movements,
    flows.entered,
    movements.entered as entered_in_movements,
    flows.left_pool,
    movements.left_pool as left_in_movements

from flows
full outer join movements on flows.snapshot_date = movements.snapshot_date
where flows.persons is distinct from movements.persons
    or flows.entered is distinct from coalesce(movements.entered, 0)
    or flows.left_pool is distinct from coalesce(movements.left_pool, 0)
