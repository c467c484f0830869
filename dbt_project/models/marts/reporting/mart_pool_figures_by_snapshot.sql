-- The pool figures of contract §10 (pool_*), defined once, at every snapshot.
-- key_figures takes the as-of snapshot's rows; the dashboard's trend cards take them all.
with

person_snapshots as (

    select * from {{ ref('fct_pool_person_snapshot') }}

),

figure_list as (

    select * from {{ ref('ref_key_figures') }}

),

counts as (

    select
        snapshot_date,
        count(*) as pool_total,
        count_if(birth_date between date '1980-01-01' and date '1989-12-31') as pool_born_1980s,
        count_if(sex = '女') as pool_female,
        count_if(is_ethnic_minority) as pool_ethnic_minority,
        count_if(sector = '党政机关') as pool_sector_party_gov,
        count_if(sector = '事业单位') as pool_sector_institution,
        count_if(sector = '体制外') as pool_sector_outside,
        count_if(readiness = '近期可用') as pool_ready_now,
        count_if(readiness = '中长期培养') as pool_ready_longer,
        count_if(field = '旅游') as pool_field_tourism,
        count_if(field = '交通') as pool_field_transport,
        count_if(field = '农业') as pool_field_agriculture,
        count_if(field = '高精尖技术') as pool_field_hightech

    from person_snapshots
    group by snapshot_date

),

unpivoted as (

    unpivot counts
    on columns(* exclude (snapshot_date))
    into name figure_id value figure_value

),

final as (

    select
        unpivoted.snapshot_date,
        unpivoted.figure_id,
        figure_list.label_zh,
        cast(unpivoted.figure_value as double) as value,
        figure_list.unit,
        figure_list.sort_order

    from unpivoted
    left join figure_list on unpivoted.figure_id = figure_list.figure_id

)

select * from final
