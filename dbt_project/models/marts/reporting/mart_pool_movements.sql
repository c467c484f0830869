-- Snapshot to snapshot: how persons moved between readiness grades, into and out of the pool,
-- and how many of those in the pool took up a 领导职务 post in between (pool → post).
with

states as (

    select * from {{ ref('int_pool_person_states') }}

),

tenures as (

    select * from {{ ref('int_appointment_tenures') }}

),

readiness_order as (

    select code_value, sort_order
    from {{ ref('ref_code_values') }}
    where domain = 'readiness'

),

snapshots as (

    select
        snapshot_date,
        lag(snapshot_date) over (order by snapshot_date) as previous_snapshot_date

    from (select distinct snapshot_date from states)

),

pairs as (

    select
        snapshots.snapshot_date,
        snapshots.previous_snapshot_date,
        current_state.person_key,
        case
            when coalesce(previous_state.is_in_pool, false) then coalesce(previous_state.readiness, '未评定')
            else '不在库'
        end as from_readiness,
        case
            when current_state.is_in_pool then coalesce(current_state.readiness, '未评定')
            else '不在库'
        end as to_readiness

    from snapshots
    inner join states as current_state
        on current_state.snapshot_date = snapshots.snapshot_date
    -- a person entering at this snapshot has no state at the previous one
    left join states as previous_state
        on previous_state.snapshot_date = snapshots.previous_snapshot_date
        and previous_state.person_key = current_state.person_key
    where snapshots.previous_snapshot_date is not null

),

moved as (

    select * from pairs
    where not (from_readiness = '不在库' and to_readiness = '不在库')

),

placed as (

    -- in the pool at the previous snapshot, a 领导职务 tenure starting after it, by this one
    select distinct
        moved.snapshot_date,
        moved.person_key

    from moved
    inner join tenures
        on tenures.person_key = moved.person_key
        and tenures.appointment_category = '领导职务'
        and tenures.start_date > moved.previous_snapshot_date
        and tenures.start_date <= moved.snapshot_date
    where moved.from_readiness <> '不在库'

),

counted as (

    select
        moved.snapshot_date,
        moved.previous_snapshot_date,
        moved.from_readiness,
        moved.to_readiness,
        count(*) as persons,
        count(placed.person_key) as persons_placed

    from moved
    left join placed
        on placed.snapshot_date = moved.snapshot_date
        and placed.person_key = moved.person_key
    group by all

),

final as (

    select
        counted.snapshot_date,
        counted.previous_snapshot_date,
        counted.from_readiness,
        counted.to_readiness,
        case
            when counted.from_readiness = '不在库' then '入库'
            when counted.to_readiness = '不在库' then '出库'
            when counted.from_readiness = counted.to_readiness then '不变'
            when counted.from_readiness = '未评定' then '首次评定'
            when counted.to_readiness = '未评定' then '取消评定'
            when from_order.sort_order > to_order.sort_order then '成熟度提升'
            else '成熟度下调'
        end as movement,
        counted.persons,
        counted.persons_placed,
        case counted.from_readiness when '未评定' then 98 when '不在库' then 99 else from_order.sort_order end
            as from_sort_order,
        case counted.to_readiness when '未评定' then 98 when '不在库' then 99 else to_order.sort_order end
            as to_sort_order

    from counted
    left join readiness_order as from_order on from_order.code_value = counted.from_readiness
    left join readiness_order as to_order on to_order.code_value = counted.to_readiness

)

select * from final
