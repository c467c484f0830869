-- Snapshot D × person: who is in the pool at D, once, with their attributes at D (first list
-- wins), the lists they are on (an array, so a list filter keeps a person on any chosen list)
-- and their progress by D. One row per person makes every pool count a plain sum, which is
-- what keeps the dashboard's queries fast at national scale; persons per list come from
-- fct_pool_membership. Rows are ordered by snapshot so a one-snapshot query reads one stretch.
with

person_snapshots as (

    select * from {{ ref('int_pool_person_snapshot') }}

),

memberships as (

    select * from {{ ref('fct_pool_membership') }}

),

progress as (

    select * from {{ ref('int_person_snapshot_progress') }}

),

lists as (

    select
        snapshot_date,
        person_key,
        list(list_name order by list_id) as list_names

    from memberships
    group by snapshot_date, person_key

),

final as (

    select
        person_snapshots.snapshot_date || '|' || person_snapshots.person_key as pool_snapshot_key,
        person_snapshots.snapshot_date,
        person_snapshots.person_key,
        lists.list_names,
        person_snapshots.sex,
        person_snapshots.generation,
        person_snapshots.birth_year,
        person_snapshots.ethnicity,
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

    from person_snapshots
    inner join lists
        on person_snapshots.snapshot_date = lists.snapshot_date
        and person_snapshots.person_key = lists.person_key
    inner join progress
        on person_snapshots.snapshot_date = progress.snapshot_date
        and person_snapshots.person_key = progress.person_key

)

select * from final
order by snapshot_date, person_key
