-- Every pool snapshot as an as-of date D: the dates its figures are computed against
-- (contract §10). A figure "at D" counts nothing after D; "近三年" is (D − 3 years, D];
-- "换届以来" is [term_start, D].
with

pool as (

    select distinct snapshot_date from {{ ref('stg_landing__talent_pool') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

final as (

    select
        pool.snapshot_date,
        lag(pool.snapshot_date) over (order by pool.snapshot_date) as previous_snapshot_date,
        cast(pool.snapshot_date - interval 3 year as date) as window_start,
        as_of.term_start,
        pool.snapshot_date = as_of.as_of_date as is_latest_snapshot

    from pool
    cross join as_of

)

select * from final
