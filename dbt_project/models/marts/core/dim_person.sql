with

persons as (

    select * from {{ ref('int_persons') }}

),

final as (

    select
        person_key,
        person_id,  -- numbered in int_persons
        sex,
        birth_date,
        birth_year,
        generation,
        ethnicity,
        is_ethnic_minority,
        affiliation_code,
        affiliation_name,
        is_democratic_party,
        education,
        rank,
        sector,
        region_name,
        field,
        readiness,
        first_snapshot_date,
        last_snapshot_date,
        is_in_pool,
        left_pool_date,
        is_in_pool_source

    from persons

)

select * from final
