with

regions as (

    select * from {{ ref('ref_regions') }}

),

final as (

    select
        region_name,
        region_code,
        is_division,
        region_level,
        sort_order

    from regions

)

select * from final
