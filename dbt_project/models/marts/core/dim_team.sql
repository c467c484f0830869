with

teams as (

    select * from {{ ref('stg_landing__leadership_teams') }}

),

divisions as (

    select * from {{ ref('ref_regions') }}
    where is_division

),

final as (

    select
        teams.region_code || '-' || teams.team_type as team_key,
        teams.region_code,
        coalesce(divisions.region_name, teams.region_name) as region_name,
        teams.team_type,
        teams.approved_seats,
        teams.region_code <> '511100' as is_county_level,
        divisions.sort_order as region_sort_order

    from teams
    left join divisions on teams.region_code = divisions.region_code

)

select * from final
