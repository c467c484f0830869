-- Team × person sitting on it at the as-of date: a sitting 领导职务 tenure of the team's
-- 班子类别 in a region that maps to the team's region code (contract §4, §5).
with

tenures as (

    select * from {{ ref('int_appointment_tenures') }}

),

final as (

    select
        team_key,
        person_key,
        bool_or(post_title = '副主席') as is_vice_chair,
        count(*) as sitting_tenures

    from tenures
    where appointment_category = '领导职务'
        and team_key is not null
        and is_sitting_at_as_of
    group by team_key, person_key

)

select * from final
