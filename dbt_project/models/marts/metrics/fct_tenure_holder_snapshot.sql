-- Snapshot D × person × post region: everyone holding a tenure that started on or before D,
-- once per region their tenures lie in, with one flag per 换届以来 counted group saying whether
-- any of their tenures in that region qualifies (换届以来: term_start ≤ 任职时间 ≤ D). The
-- 换届以来 key figures count distinct persons; counting them here reads one row per person and
-- region (fewer rows than fct_tenure_snapshot) and hashes an integer (person_id) instead of the
-- 64-character person_key. The grain keeps the post's region, so a filter on several regions
-- still counts a person once, and never counts someone whose only qualifying tenure lies
-- outside the chosen regions. Every holder has a row, qualifying or not, so a snapshot and
-- scope with tenures but none since the term (a snapshot before the term) gives 0, as counting
-- over fct_tenure_snapshot does, not a missing row. The holder's sector, lists and generation
-- at D are the same on all their rows (fct_tenure_snapshot carries them per person). Rows in
-- snapshot order.
with

tenures as (

    select * from {{ ref('fct_tenure_snapshot') }}

),

by_holder as (

    select
        snapshot_date,
        person_id,
        any_value(person_key) as person_key,
        region_name,
        bool_or(is_since_term and appointment_category = '政治安排') as has_arrangement,
        bool_or(
            is_since_term
            and appointment_category = '领导职务'
            and rank in ('正处级', '副处级')
            and selection_method in ('新提拔', '交流', '重用')
        ) as has_county_level_placement,
        bool_or(
            is_since_term
            and appointment_category = '领导职务'
            and rank in ('正处级', '副处级')
            and selection_method = '新提拔'
        ) as has_county_level_promotion,
        any_value(holder_generation) as holder_generation,
        any_value(holder_is_in_pool) as holder_is_in_pool,
        any_value(holder_lists) as holder_lists,
        any_value(holder_sector) as holder_sector

    from tenures
    group by snapshot_date, person_id, region_name

),

final as (

    select
        snapshot_date,
        person_key,
        person_id,
        region_name,
        has_arrangement,
        has_county_level_placement,
        has_county_level_promotion,
        holder_generation,
        holder_is_in_pool,
        holder_lists,
        holder_sector

    from by_holder

)

select * from final
order by snapshot_date, person_id
