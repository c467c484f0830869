-- Snapshot D × person × list: who entered the pool since the previous snapshot (进库: in the
-- pool at D, not at the previous one) and who left it (出库: in the pool at the previous
-- snapshot, not at D). Attributes and lists are those of the snapshot where the person was in
-- the pool, so a flow counts in the region and list they entered into or left from.
with

snapshots as (

    select * from {{ ref('int_snapshots') }}

),

memberships as (

    select * from {{ ref('fct_pool_membership') }}

),

persons as (

    select person_key, person_id from {{ ref('dim_person') }}

),

persons_at as (

    select distinct snapshot_date, person_key from memberships

),

entered as (

    select
        snapshots.snapshot_date,
        '进库' as direction,
        memberships.*  exclude (snapshot_date, membership_key)

    from snapshots
    inner join memberships on memberships.snapshot_date = snapshots.snapshot_date
    left join persons_at as before
        on before.snapshot_date = snapshots.previous_snapshot_date
        and before.person_key = memberships.person_key
    where snapshots.previous_snapshot_date is not null
        and before.person_key is null

),

exited as (

    select
        snapshots.snapshot_date,
        '出库' as direction,
        memberships.* exclude (snapshot_date, membership_key)

    from snapshots
    inner join memberships on memberships.snapshot_date = snapshots.previous_snapshot_date
    left join persons_at as after
        on after.snapshot_date = snapshots.snapshot_date
        and after.person_key = memberships.person_key
    where after.person_key is null

),

final as (

    select
        snapshot_date || '|' || direction || '|' || person_key || '|' || list_id as flow_key,
        snapshot_date,
        direction,
        person_key,
        person_id,  -- what 人数 counts: an integer, cheaper to count distinct than the key
        list_id,
        list_name,
        sex,
        generation,
        ethnic_group,
        affiliation_name,
        education,
        rank,
        sector,
        region_name,
        field,
        readiness

    from (select * from entered union all by name select * from exited)
    inner join persons using (person_key)

)

select * from final
order by snapshot_date
