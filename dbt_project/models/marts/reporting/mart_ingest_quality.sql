-- File × sheet × kind × reason: what the last ingest read, loaded and rejected, and why.
-- Counts only: the rejected values and records stay in landing.rejects (they may hold names
-- and ID numbers), and values quoted inside a reason are masked (macro reason_category).
with

files as (

    select * from {{ ref('stg_landing__files') }}

),

reasons as (

    select
        source_file,
        source_sheet,
        '拒收' as issue_kind,
        column_name,
        {{ reason_category('reason') }} as reason,
        count(*) as reason_rows

    from {{ ref('stg_landing__rejects') }}
    group by all

    union all

    select
        source_file,
        source_sheet,
        '提示' as issue_kind,
        column_name,
        {{ reason_category('message') }} as reason,
        count(*) as reason_rows

    from {{ ref('stg_landing__warnings') }}
    group by all

),

final as (

    select
        coalesce(files.source_file, reasons.source_file) as file,
        coalesce(files.source_sheet, reasons.source_sheet) as sheet,
        files.table_name,
        files.encoding,
        files.snapshot_date,
        files.rows_read,
        files.rows_loaded,
        files.rows_rejected,
        reasons.issue_kind,
        reasons.column_name,
        reasons.reason,
        coalesce(reasons.reason_rows, 0) as reason_rows

    from files
    full outer join reasons
        on files.source_file = reasons.source_file
        and files.source_sheet is not distinct from reasons.source_sheet

)

select * from final
