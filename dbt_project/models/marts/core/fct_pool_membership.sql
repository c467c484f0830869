with

memberships as (

    select * from {{ ref('int_pool_list_memberships') }}

),

person_snapshots as (

    select * from {{ ref('int_pool_person_snapshot') }}

),

final as (

    select
        memberships.snapshot_date,
        memberships.person_key,
        memberships.list_id,
        memberships.list_name,
        -- the person's attributes at that snapshot (first-sheet-wins), not this row's
        person_snapshots.sex,
        person_snapshots.generation,
        person_snapshots.birth_year,
        person_snapshots.ethnicity,
        person_snapshots.is_ethnic_minority,
        person_snapshots.affiliation_name,
        person_snapshots.education,
        person_snapshots.rank,
        person_snapshots.sector,
        person_snapshots.region_name,
        person_snapshots.field,
        person_snapshots.readiness,
        person_snapshots.entered_date,
        person_snapshots.is_latest_snapshot

    from memberships
    inner join person_snapshots
        on memberships.snapshot_date = person_snapshots.snapshot_date
        and memberships.person_key = person_snapshots.person_key

)

select * from final
