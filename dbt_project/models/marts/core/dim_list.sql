with

lists as (

    select * from {{ ref('ref_lists') }}

),

final as (

    select
        list_id,
        list_name

    from lists

)

select * from final
