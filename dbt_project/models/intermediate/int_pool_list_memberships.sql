-- Snapshot × person × list: the first row of a person on a list's sheet counts (contract §2).
with

pool_rows as (

    select * from {{ ref('stg_landing__talent_pool') }}

),

lists as (

    select * from {{ ref('ref_lists') }}

),

numbered as (

    select
        pool_rows.*,
        lists.list_id,
        row_number() over (
            partition by pool_rows.snapshot_date, pool_rows.person_key, lists.list_id
            order by pool_rows.source_file, pool_rows.source_row
        ) as row_on_list

    from pool_rows
    inner join lists on pool_rows.list_name = lists.list_name

),

final as (

    select
        snapshot_date,
        person_key,
        list_id,
        list_name,
        sex,
        birth_date,
        ethnicity,
        affiliation_name,
        education,
        rank,
        sector,
        region_name,
        field,
        readiness,
        entered_date,
        source_file,
        source_sheet,
        source_row

    from numbered
    where row_on_list = 1

)

select * from final
