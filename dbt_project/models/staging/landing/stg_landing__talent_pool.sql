with

source as (

    select * from {{ source('landing', 'talent_pool') }}

),

renamed as (

    select
        -- snapshot and list
        cast("_snapshot_date" as date) as snapshot_date,
        "名单" as list_name,

        -- person
        "person_key" as person_key,
        "性别" as sex,
        "民族" as ethnicity,
        cast("出生年月" as date) as birth_month,
        cast("出生日期" as date) as birth_date,
        "政治面貌" as affiliation_name,
        "最高学历" as education,
        "工作单位及职务" as unit_and_post,
        "职务层次" as rank,
        "身份类别" as sector,
        "所在地区" as region_name,
        coalesce({{ blank_to_null('"专业领域"') }}, '其他') as field,
        {{ blank_to_null('"成熟度"') }} as readiness,
        cast("入库时间" as date) as entered_date,
        "推荐单位" as recommending_body,

        -- lineage
        "_file" as source_file,
        "_sheet" as source_sheet,
        cast("_row" as integer) as source_row

    from source

)

select * from renamed
