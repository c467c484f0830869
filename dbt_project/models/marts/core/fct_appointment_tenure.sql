with

tenures as (

    select * from {{ ref('int_appointment_tenures') }}

),

persons as (

    select * from {{ ref('dim_person') }}

),

final as (

    select
        tenures.tenure_id,
        tenures.person_key,
        tenures.appointment_category,
        tenures.org_name,
        tenures.region_name,
        tenures.region_code,
        tenures.team_type,
        tenures.team_key,
        tenures.post_title,
        tenures.rank,
        tenures.rank_order,
        tenures.is_department_level_rank,
        tenures.is_county_level_rank,
        tenures.start_date,
        tenures.end_date,
        tenures.start_year,
        tenures.selection_method,
        tenures.post_type,
        tenures.fit_assessment,
        persons.sector,
        coalesce(persons.is_in_pool, false) as is_in_pool

    from tenures
    left join persons on tenures.person_key = persons.person_key

)

select * from final
