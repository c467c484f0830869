-- The key figures of contract §10 at the as-of date: one row per row of ref_key_figures.
-- Each figure is defined here once (the pool_* figures in mart_pool_figures_by_snapshot, the
-- fit rates in mart_fit_rates, team coverage in mart_team_coverage); the dashboard and
-- `cadres figures` read this table.
with

as_of as (

    select * from {{ ref('int_as_of') }}

),

figure_list as (

    select * from {{ ref('ref_key_figures') }}

),

pool_figures as (

    select figure_id, value
    from {{ ref('mart_pool_figures_by_snapshot') }}
    where snapshot_date = (select as_of_date from as_of)

),

classes as (

    select * from {{ ref('dim_class') }}

),

participation as (

    select * from {{ ref('fct_training_participation') }}

),

tenures as (

    select * from {{ ref('fct_appointment_tenure') }}

),

persons as (

    select * from {{ ref('dim_person') }}

),

team_coverage as (

    select * from {{ ref('mart_team_coverage') }}

),

fit_rates as (

    select * from {{ ref('mart_fit_rates') }}

),

-- training: "in the last three years" is dim_class.is_in_last_three_years

progressive_classes as (

    select class_id
    from classes
    where training_type = '递进培训班'
        and host_level = '市级'
        and is_in_last_three_years

),

-- appointments: "since the term" is fct_appointment_tenure.is_since_term

county_level_placements as (

    select *
    from tenures
    where appointment_category = '领导职务'
        and rank in ('正处级', '副处级')
        and selection_method in ('新提拔', '交流', '重用')
        and is_since_term

),

sitting_leadership as (

    select *
    from tenures
    where appointment_category = '领导职务'
        and is_sitting_at_as_of

),

democratic_party_chairs as (

    select distinct person_key
    from sitting_leadership
    where team_type = '民主党派'
        and post_title = '主委'

),

highest_sitting_rank as (

    select
        person_key,
        arg_min(is_department_level_rank, rank_order) as is_department_level

    from sitting_leadership
    where rank_order is not null
    group by person_key

),

county_cppcc as (

    select *
    from team_coverage
    where team_type = '政协'
        and is_county_level

),

figures as (

    select figure_id, value from pool_figures

    union all
    select 'progressive_classes', count(*) from progressive_classes

    union all
    select 'progressive_trainees', count(distinct person_key)
    from participation
    where class_id in (select class_id from progressive_classes)
        and completion_status = '结业'

    union all
    select 'themed_sessions', count(*)
    from classes
    where training_type = '专题学习'
        and is_in_last_three_years

    union all
    select 'upper_level_trainees', count(distinct person_key)
    from participation
    where host_level in ('中央', '省级')
        and is_in_last_three_years

    union all
    select 'practice_trainees', count(distinct person_key)
    from participation
    where training_type = '实践锻炼'
        and is_in_last_three_years

    union all
    select 'arranged_since_term', count(distinct person_key)
    from tenures
    where appointment_category = '政治安排'
        and is_since_term

    union all
    select 'county_level_placed_since_term', count(distinct person_key)
    from county_level_placements

    union all
    select 'county_level_new_since_term', count(distinct person_key)
    from county_level_placements
    where selection_method = '新提拔'

    union all
    select 'county_level_born_1970s_since_term', count(distinct persons.person_key)
    from county_level_placements
    inner join persons on county_level_placements.person_key = persons.person_key
    where persons.birth_date between date '1970-01-01' and date '1979-12-31'

    union all
    select 'teams_total', count(*) from team_coverage

    union all
    select 'teams_with_nonparty', count_if(nonparty_members >= 1) from team_coverage

    union all
    select 'county_cppcc_with_3_nonparty', count_if(nonparty_vice_chairs >= 3) from county_cppcc

    union all
    select 'county_cppcc_nonparty_share', sum(nonparty_members) / nullif(sum(approved_seats), 0)
    from county_cppcc

    union all
    select 'democratic_party_chairs', count(*) from democratic_party_chairs

    union all
    select 'democratic_party_chairs_department_level', count(*)
    from democratic_party_chairs
    inner join highest_sitting_rank
        on democratic_party_chairs.person_key = highest_sitting_rank.person_key
    where highest_sitting_rank.is_department_level

    union all
    select 'fit_rate_technical', fit_rate from fit_rates where post_type = '专业技术型'

    union all
    select 'fit_rate_complex', fit_rate from fit_rates where post_type = '复杂局面型'

),

final as (

    select
        figure_list.figure_id,
        figure_list.label_zh,
        cast(figures.value as double) as value,
        figure_list.unit,
        as_of.as_of_date,
        figure_list.sort_order

    from figure_list
    cross join as_of
    left join figures on figure_list.figure_id = figures.figure_id

)

select * from final
