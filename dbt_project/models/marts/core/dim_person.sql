with

persons as (

    select * from {{ ref('int_persons') }}

),

final as (

    select
        person_key,
        -- a dense integer per person, numbered anew at each refresh (in person_key order, so a
        -- rebuild of the same data gives the same numbers): the facts carry it so that counts of
        -- distinct persons hash a 4-byte integer instead of the 64-character person_key. Never
        -- shown and never kept across refreshes; person_key stays the person's identity.
        row_number() over (order by person_key)::integer as person_id,
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
