with

source as (

    select * from {{ source('landing', 'appointments') }}

),

renamed as (

    select
        -- a tenure is identified by where it was read from
        md5(concat_ws('|', "_file", "_sheet", cast("_row" as varchar))) as tenure_id,

        -- person
        "person_key" as person_key,
        cast("出生日期" as date) as birth_date,
        "性别" as sex,

        -- tenure
        "任用类别" as appointment_category,
        "任职机构名称" as org_name,
        "所在地区" as region_name,
        "班子类别" as team_type,
        "职务名称" as post_title,
        "职务层次" as rank,
        cast("任职时间" as date) as start_date,
        cast("免职时间" as date) as end_date,
        "选拔任用方式" as selection_method,
        {{ blank_to_null('"岗位类型"') }} as post_type,
        {{ blank_to_null('"人岗相适"') }} as fit_assessment,
        "任职文号" as appointment_doc_no,
        "免职文号" as removal_doc_no,

        -- lineage
        "_file" as source_file,
        "_sheet" as source_sheet,
        cast("_row" as integer) as source_row

    from source

)

select * from renamed
