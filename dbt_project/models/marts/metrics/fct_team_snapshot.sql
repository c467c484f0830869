-- Snapshot D × leadership team: the non-party cadres sitting on it at D — distinct persons
-- with a sitting 领导职务 tenure of the team (team_key: the team's 班子类别 in a region that maps
-- to its code, contract §4, §5) — and those of them in a 副主席 post (exactly 副主席, not
-- 常务副主席).
with

snapshots as (

    select * from {{ ref('int_snapshots') }}

),

teams as (

    select * from {{ ref('dim_team') }}

),

sittings as (

    -- sitting at D is fct_tenure_snapshot's is_sitting (its one definition); one row per
    -- person and team, whatever their lists
    select
        snapshot_date,
        team_key,
        person_key,
        bool_or(post_title = '副主席') as is_vice_chair

    from {{ ref('fct_tenure_snapshot') }}
    where appointment_category = '领导职务'
        and team_key is not null
        and is_sitting
    group by snapshot_date, team_key, person_key

),

counted as (

    select
        snapshot_date,
        team_key,
        count(*) as nonparty_members,
        count_if(is_vice_chair) as nonparty_vice_chairs

    from sittings
    group by snapshot_date, team_key

),

final as (

    select
        snapshots.snapshot_date,
        teams.team_key,
        teams.region_code,
        teams.region_name,
        teams.team_type,
        teams.is_county_level,
        teams.region_sort_order,
        teams.approved_seats,
        coalesce(counted.nonparty_members, 0) as nonparty_members,
        coalesce(counted.nonparty_vice_chairs, 0) as nonparty_vice_chairs,
        coalesce(counted.nonparty_members, 0) >= 1 as has_nonparty,
        coalesce(counted.nonparty_vice_chairs, 0) >= 3 as has_three_nonparty_vice_chairs

    from snapshots
    cross join teams
    left join counted
        on snapshots.snapshot_date = counted.snapshot_date
        and teams.team_key = counted.team_key

)

select * from final
order by snapshot_date
