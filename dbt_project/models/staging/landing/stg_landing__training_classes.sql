with

source as (

    select * from {{ source('landing', 'training_classes') }}

),

renamed as (

    select
        "班次编号" as class_id,
        "班次名称" as class_name,
        "培训类型" as training_type,
        "主办层级" as host_level,
        "主办单位" as host_org,
        cast("开始日期" as date) as start_date,
        cast("结束日期" as date) as end_date,
        cast("学时" as double) as hours,

        -- lineage
        "_file" as source_file,
        "_sheet" as source_sheet,
        cast("_row" as integer) as source_row

    from source

)

select * from renamed
