-- Snapshot × dimension × value: how many persons of the pool have each value (first-sheet-wins
-- attributes). For the dimension `list` a person counts on every list they stand on, so its
-- shares add up to more than 1.
with

person_snapshots as (

    select * from {{ ref('fct_pool_person_snapshot') }}

),

memberships as (

    select * from {{ ref('fct_pool_membership') }}

),

code_values as (

    select * from {{ ref('ref_code_values') }}

),

long as (

    select snapshot_date, 'sex' as dimension, '性别' as dimension_label, sex as value
    from person_snapshots
    union all
    select snapshot_date, 'generation', '年龄段', generation
    from person_snapshots
    union all
    select
        snapshot_date, 'ethnic_group', '民族',
        case when is_ethnic_minority then '少数民族' else '汉族' end
    from person_snapshots
    union all
    select snapshot_date, 'affiliation', '政治面貌', affiliation_name
    from person_snapshots
    union all
    select snapshot_date, 'education', '最高学历', education
    from person_snapshots
    union all
    select snapshot_date, 'rank', '职务层次', rank
    from person_snapshots
    union all
    select snapshot_date, 'sector', '身份类别', sector
    from person_snapshots
    union all
    select snapshot_date, 'region', '所在地区', region_name
    from person_snapshots
    union all
    select snapshot_date, 'field', '专业领域', field
    from person_snapshots
    union all
    select snapshot_date, 'readiness', '成熟度', coalesce(readiness, '未评定')
    from person_snapshots
    union all
    select snapshot_date, 'list', '名单', list_name
    from memberships

),

value_orders as (

    select 'sex' as dimension, code_value as value, sort_order
    from code_values where domain = 'sex'
    union all
    select 'sector', code_value, sort_order from code_values where domain = 'sector'
    union all
    select 'field', code_value, sort_order from code_values where domain = 'field'
    union all
    select 'readiness', code_value, sort_order from code_values where domain = 'readiness'
    union all
    select 'readiness', '未评定', 99
    union all
    select 'ethnic_group', '汉族', 1
    union all
    select 'ethnic_group', '少数民族', 2
    union all
    select 'affiliation', affiliation_name, sort_order from {{ ref('ref_affiliations') }}
    union all
    select 'education', education_name, sort_order from {{ ref('ref_education') }}
    union all
    select 'rank', rank_name, rank_order from {{ ref('ref_ranks') }}
    union all
    select 'region', region_name, sort_order from {{ ref('ref_regions') }}
    union all
    select 'list', list_name, list_id from {{ ref('ref_lists') }}

),

snapshot_totals as (

    select snapshot_date, count(*) as pool_total
    from person_snapshots
    group by snapshot_date

),

counted as (

    select
        snapshot_date,
        dimension,
        dimension_label,
        value,
        count(*) as persons

    from long
    group by all

),

final as (

    select
        counted.snapshot_date,
        counted.dimension,
        counted.dimension_label,
        counted.value,
        counted.persons,
        counted.persons / snapshot_totals.pool_total as share,
        coalesce(
            value_orders.sort_order,
            -- generations sort by decade; anything unknown goes last
            case when counted.dimension = 'generation' then
                case when counted.value = '50前' then 0
                    else (cast(left(counted.value, 2) as integer) + 50) % 100 + 1 end
            end,
            999
        ) as value_sort_order

    from counted
    inner join snapshot_totals on counted.snapshot_date = snapshot_totals.snapshot_date
    left join value_orders
        on counted.dimension = value_orders.dimension
        and counted.value = value_orders.value

)

select * from final
