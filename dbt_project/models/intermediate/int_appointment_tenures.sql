-- Tenures with the definitions of contract §4 applied once: the team a tenure belongs to.
-- Whether it is sitting, or since the term, depends on the date asked: fct_tenure_snapshot.
with

appointments as (

    select * from {{ ref('stg_landing__appointments') }}

),

regions as (

    select * from {{ ref('ref_regions') }}

),

ranks as (

    select * from {{ ref('ref_ranks') }}

),

final as (

    select
        appointments.tenure_id,
        appointments.person_key,
        appointments.birth_date,
        appointments.appointment_category,
        appointments.org_name,
        appointments.region_name,
        -- 乐山高新区 is no division: it reports under 511100 (contract §7)
        regions.region_code,
        appointments.team_type,
        -- only a 领导职务 makes anyone a member of a leadership team (contract §4)
        case
            when appointments.appointment_category = '领导职务'
                and appointments.team_type in ('人大常委会', '政府', '政协')
                then regions.region_code || '-' || appointments.team_type
        end as team_key,
        appointments.post_title,
        appointments.rank,
        ranks.rank_order,
        coalesce(ranks.is_department_level, false) as is_department_level_rank,
        coalesce(ranks.is_county_level, false) as is_county_level_rank,
        appointments.start_date,
        appointments.end_date,
        year(appointments.start_date) as start_year,
        appointments.selection_method,
        appointments.post_type,
        appointments.fit_assessment

    from appointments
    left join regions on appointments.region_name = regions.region_name
    left join ranks on appointments.rank = ranks.rank_name

)

select * from final
