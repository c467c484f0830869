-- Team: the non-party cadres sitting on it at the as-of date.
with

teams as (

    select * from {{ ref('dim_team') }}

),

sittings as (

    select * from {{ ref('int_team_sittings') }}

),

counted as (

    select
        team_key,
        count(distinct person_key) as nonparty_members,
        count(distinct person_key) filter (where is_vice_chair) as nonparty_vice_chairs

    from sittings
    group by team_key

),

final as (

    select
        teams.team_key,
        teams.region_code,
        teams.region_name,
        teams.team_type,
        teams.approved_seats,
        teams.is_county_level,
        teams.region_sort_order,
        coalesce(counted.nonparty_members, 0) as nonparty_members,
        coalesce(counted.nonparty_vice_chairs, 0) as nonparty_vice_chairs,
        coalesce(counted.nonparty_members, 0) / teams.approved_seats as nonparty_share

    from teams
    left join counted on teams.team_key = counted.team_key

)

select * from final
