-- Pool snapshots: the dates a figure can be asked for, each with its previous snapshot, its
-- three-year window and the term start; the latest is the as-of date (数据截止日期).
with

snapshots as (

    select * from {{ ref('int_snapshots') }}

),

final as (

    select
        snapshot_date,
        previous_snapshot_date,
        window_start,
        term_start,
        is_latest_snapshot,
        year(snapshot_date) as snapshot_year

    from snapshots

)

select * from final
