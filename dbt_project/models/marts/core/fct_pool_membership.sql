with

memberships as (

    select * from {{ ref('int_pool_list_memberships') }}

),

person_snapshots as (

    select * from {{ ref('int_pool_person_snapshot') }}

),

progress as (

    select * from {{ ref('int_person_snapshot_progress') }}

),

final as (

    select
        memberships.snapshot_date || '|' || memberships.person_key || '|' || memberships.list_id
            as membership_key,
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
        case when person_snapshots.is_ethnic_minority then '少数民族' else '汉族' end as ethnic_group,
        person_snapshots.affiliation_name,
        person_snapshots.education,
        person_snapshots.rank,
        person_snapshots.sector,
        person_snapshots.region_name,
        person_snapshots.field,
        person_snapshots.readiness,
        person_snapshots.entered_date,
        person_snapshots.is_latest_snapshot,
        progress.was_trained,
        progress.was_placed_after_training

    from memberships
    inner join person_snapshots
        on memberships.snapshot_date = person_snapshots.snapshot_date
        and memberships.person_key = person_snapshots.person_key
    inner join progress
        on memberships.snapshot_date = progress.snapshot_date
        and memberships.person_key = progress.person_key

)

select * from final
