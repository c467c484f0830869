-- Post type: 人岗相适 of 领导职务 tenures since the term (contract §10 fit_rate_*).
-- Tenures whose 人岗相适 is blank (not assessed) are left out of the rate.
with

tenures as (

    select * from {{ ref('fct_appointment_tenure') }}
    where appointment_category = '领导职务'
        and is_since_term

),

post_types as (

    select code_value as post_type, sort_order
    from {{ ref('ref_code_values') }}
    where domain = 'post_type'

),

counted as (

    select
        post_type,
        count(*) as tenures,
        count(fit_assessment) as assessed_tenures,
        count_if(fit_assessment = '相适') as fit_tenures

    from tenures
    where post_type is not null
    group by post_type

),

final as (

    select
        post_types.post_type,
        coalesce(counted.tenures, 0) as tenures,
        coalesce(counted.assessed_tenures, 0) as assessed_tenures,
        coalesce(counted.fit_tenures, 0) as fit_tenures,
        counted.fit_tenures / nullif(counted.assessed_tenures, 0) as fit_rate,
        post_types.sort_order

    from post_types
    left join counted on post_types.post_type = counted.post_type

)

select * from final
