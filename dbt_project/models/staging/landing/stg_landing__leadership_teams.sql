with

source as (

    select * from {{ source('landing', 'leadership_teams') }}

),

renamed as (

    select
        cast("行政区划代码" as varchar) as region_code,
        "地区" as region_name,
        "班子类别" as team_type,
        cast("核定领导职数" as integer) as approved_seats,

        -- lineage
        "_file" as source_file,
        "_sheet" as source_sheet,
        cast("_row" as integer) as source_row

    from source

)

select * from renamed
