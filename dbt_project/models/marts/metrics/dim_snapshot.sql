-- Pool snapshots: the dates a figure can be asked for, each with its previous snapshot, its
-- three-year window and the term start; the latest is the as-of date (数据截止日期).
-- Which snapshot a figure is compared with is decided here, once (docs/data-decisions.md):
-- 较上年同期 = the earlier snapshot nearest to D − 1 year, at most half a year from it;
-- 较年初 = the last snapshot of the previous year, else the first earlier one of D's year.
with

snapshots as (

    select * from {{ ref('int_snapshots') }}

),

prior_year_candidates as (

    select
        snapshots.snapshot_date,
        earlier.snapshot_date as candidate_date,
        abs(datediff('day', earlier.snapshot_date, cast(snapshots.snapshot_date - interval 1 year as date)))
            as days_from_a_year_before

    from snapshots
    inner join snapshots as earlier
        on earlier.snapshot_date < snapshots.snapshot_date

),

prior_year as (

    select
        snapshot_date,
        candidate_date as prior_year_snapshot_date

    from prior_year_candidates
    where days_from_a_year_before <= 183
    qualify row_number() over (
        partition by snapshot_date order by days_from_a_year_before, candidate_date desc
    ) = 1

),

year_start as (

    select
        snapshots.snapshot_date,
        coalesce(
            max(earlier.snapshot_date) filter (where year(earlier.snapshot_date) = year(snapshots.snapshot_date) - 1),
            min(earlier.snapshot_date) filter (where year(earlier.snapshot_date) = year(snapshots.snapshot_date))
        ) as year_start_snapshot_date

    from snapshots
    left join snapshots as earlier
        on earlier.snapshot_date < snapshots.snapshot_date
    group by snapshots.snapshot_date

),

final as (

    select
        snapshots.snapshot_date,
        snapshots.previous_snapshot_date,
        prior_year.prior_year_snapshot_date,
        year_start.year_start_snapshot_date,
        snapshots.window_start,
        snapshots.term_start,
        snapshots.is_latest_snapshot,
        year(snapshots.snapshot_date) as snapshot_year,
        not (month(snapshots.snapshot_date) = 12 and day(snapshots.snapshot_date) = 31) as is_year_in_progress

    from snapshots
    left join prior_year on prior_year.snapshot_date = snapshots.snapshot_date
    left join year_start on year_start.snapshot_date = snapshots.snapshot_date

)

select * from final
