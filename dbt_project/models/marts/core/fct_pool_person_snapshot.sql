with

person_snapshots as (

    select * from {{ ref('int_pool_person_snapshot') }}

),

final as (

    select
        snapshot_date,
        person_key,
        sex,
        birth_date,
        generation,
        birth_year,
        ethnicity,
        is_ethnic_minority,
        affiliation_name,
        is_democratic_party,
        education,
        rank,
        sector,
        region_name,
        field,
        readiness,
        entered_date,
        list_count,
        first_list_id,
        is_latest_snapshot

    from person_snapshots

)

select * from final
