-- Calendar days 2000–2040: MetricFlow's time spine (metric_time) for the snapshot dates.
with

days as (

    select cast(range as date) as date_day
    from range(date '2000-01-01', date '2041-01-01', interval 1 day)

),

final as (

    select date_day from days

)

select * from final
