-- The dates every figure is computed against (contract §10): one row.
with

snapshots as (

    select max(snapshot_date) as as_of_date
    from {{ ref('stg_landing__talent_pool') }}

),

final as (

    select
        as_of_date,
        cast('{{ var("term_start") }}' as date) as term_start,
        -- "in the last three years" is (window_start, as_of_date]
        cast(as_of_date - interval 3 year as date) as window_start

    from snapshots

)

select * from final
