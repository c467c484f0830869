-- mart_pool_movements agrees with the pool facts at every snapshot but the first: persons now
-- in the pool (fct_pool_person_snapshot), persons who entered and persons who left
-- (fct_pool_flow) are the same counts.
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

snapshots as (

    select * from {{ ref('dim_snapshot') }}
    where previous_snapshot_date is not null

),

pool as (

    select snapshot_date, count(*) as persons
    from {{ ref('fct_pool_person_snapshot') }}
    group by snapshot_date

),

flows as (

    select
        snapshot_date,
        count(distinct person_key) filter (where direction = '进库') as entered,
        count(distinct person_key) filter (where direction = '出库') as left_pool

    from {{ ref('fct_pool_flow') }}
    group by snapshot_date

),

expected as (

    select
        snapshots.snapshot_date,
        pool.persons,
        coalesce(flows.entered, 0) as entered,
        coalesce(flows.left_pool, 0) as left_pool

    from snapshots
    left join pool on snapshots.snapshot_date = pool.snapshot_date
    left join flows on snapshots.snapshot_date = flows.snapshot_date

)

select
    expected.snapshot_date,
    expected.persons,
    movements.persons as persons_in_movements,
    expected.entered,
    movements.entered as entered_in_movements,
    expected.left_pool,
    movements.left_pool as left_in_movements

from expected
full outer join movements on expected.snapshot_date = movements.snapshot_date
where expected.persons is distinct from movements.persons
    or expected.entered is distinct from coalesce(movements.entered, 0)
    or expected.left_pool is distinct from coalesce(movements.left_pool, 0)
