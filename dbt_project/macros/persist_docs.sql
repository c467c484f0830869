{#-
  The marts' descriptions as DuckDB comments (persist_docs in dbt_project.yml), in one statement
  per model. dbt-duckdb's own version describes the table twice and sends the table's comment and
  the columns' comments separately: four round trips of ~15 ms of dbt's own work per mart, a
  second of a scale-1 refresh (issue 12). Every documented column must exist, so a description
  left behind by a renamed column fails the build instead of being skipped with a warning.
-#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
  {%- set statements -%}
    {%- if for_relation and config.persist_relation_docs() and model.description %}
      {{ duckdb__alter_relation_comment(relation, model.description) }}
    {%- endif %}
    {%- if for_columns and config.persist_column_docs() %}
      {%- for column_name, column in model.columns.items() if column.description %}
      comment on column {{ relation }}.{{ adapter.quote(column_name) if column.quote else column_name }} is {{ duckdb_escape_comment(column.description) }};
      {%- endfor %}
    {%- endif %}
  {%- endset -%}
  {%- if statements | trim %}
    {% do run_query(statements) %}
  {%- endif %}
{%- endmacro %}
