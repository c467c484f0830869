{#- The row-level checks of one model in one test (issue 12): dbt spends about as much on running
    a test node as DuckDB spends on its query, and a model had up to sixteen single-column tests.
    Each check keeps its meaning:
      not_null        [column, …]            no NULL
      unique          [column, …]            no value twice (NULLs ignored, as dbt's `unique`)
      accepted_values {column: [value, …]}   no value outside the list (NULLs pass)
      value_between   {column: {min_value, max_value}}  no non-null value outside the bounds
      expressions     [sql | {name, expression}, …]  true on every row (NULL counts as false)
      row_count       {min_value, max_value[, name]} the model's row count within the bounds
      unique_combination [column, …]         no two rows share these columns (the grain;
                                             NULLs compare equal, as in GROUP BY)
      relationships   {column: {to: ref(…), field}}  every non-null value is a `field` of `to`
    A check with a name is reported by it (`dim_team_has_36_teams`).
    The test returns one row per check that fails: `failed_check` names it as dbt's own test
    would be named (`not_null(person_key)`), `failing_rows` counts the rows that break it;
    `cadres refresh` prints the names. -#}
{% test row_checks(model, not_null=[], unique=[], accepted_values={}, value_between={},
                   expressions=[], row_count=none, unique_combination=[], relationships={}) %}

{%- set row_wise = [] -%}
{%- for column in not_null -%}
    {%- do row_wise.append(("not_null(" ~ column ~ ")", column ~ " is null")) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set listed = [] -%}
    {%- for value in values -%}
        {%- do listed.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {%- do row_wise.append(("accepted_values(" ~ column ~ ")",
                            column ~ " not in (" ~ listed | join(", ") ~ ")")) -%}
{%- endfor -%}
{%- for column, bounds in value_between.items() -%}
    {%- set outside = [] -%}
    {%- if bounds.get("min_value") is not none -%}
        {%- do outside.append(column ~ " < " ~ bounds["min_value"]) -%}
    {%- endif -%}
    {%- if bounds.get("max_value") is not none -%}
        {%- do outside.append(column ~ " > " ~ bounds["max_value"]) -%}
    {%- endif -%}
    {%- do row_wise.append(("value_between(" ~ column ~ ")",
                            column ~ " is not null and (" ~ outside | join(" or ") ~ ")")) -%}
{%- endfor -%}
{%- for expression in expressions -%}
    {%- if expression is mapping -%}
        {%- do row_wise.append((expression["name"],
                                "not coalesce((" ~ expression["expression"] ~ "), false)")) -%}
    {%- else -%}
        {%- do row_wise.append(("expression_is_true(" ~ expression ~ ")",
                                "not coalesce((" ~ expression ~ "), false)")) -%}
    {%- endif -%}
{%- endfor -%}

{%- set parts = [] -%}
{%- for name, condition in row_wise -%}
    {%- do parts.append("select '" ~ (name | replace("'", "''")) ~ "' as failed_check, check_"
                        ~ loop.index ~ " as failing_rows from counted where check_" ~ loop.index ~ " > 0") -%}
{%- endfor -%}
{%- for column in unique -%}
    {%- do parts.append("select 'unique(" ~ column ~ ")' as failed_check, count(*) as failing_rows"
                        ~ " from (select " ~ column ~ " from " ~ model ~ " where " ~ column
                        ~ " is not null group by " ~ column ~ " having count(*) > 1) as repeated"
                        ~ " having count(*) > 0") -%}
{%- endfor -%}
{%- if unique_combination -%}
    {%- set grain = unique_combination | join(", ") -%}
    {%- do parts.append("select 'unique_combination(" ~ grain ~ ")' as failed_check, count(*) as failing_rows"
                        ~ " from (select 1 from " ~ model ~ " group by " ~ grain ~ " having count(*) > 1)"
                        ~ " as repeated having count(*) > 0") -%}
{%- endif -%}
{%- for column, parent in relationships.items() -%}
    {%- do parts.append("select 'relationships(" ~ column ~ ")' as failed_check, count(*) as failing_rows"
                        ~ " from " ~ model ~ " as child where child." ~ column ~ " is not null"
                        ~ " and not exists (select 1 from " ~ parent["to"] ~ " as parent where parent."
                        ~ parent["field"] ~ " = child." ~ column ~ ") having count(*) > 0") -%}
{%- endfor -%}
{%- if row_count is not none -%}
    {%- set low = row_count.get("min_value", 0) -%}
    {%- set high = row_count.get("max_value") -%}
    {%- set named = row_count.get("name") or "row_count_between(" ~ low ~ ", " ~ high ~ ")" -%}
    {%- do parts.append("select '" ~ named ~ "' as failed_check,"
                        ~ " count(*) as failing_rows from " ~ model ~ " having count(*) < " ~ low
                        ~ (" or count(*) > " ~ high if high is not none else "")) -%}
{%- endif -%}

{%- if row_wise %}
with counted as (
    select
    {%- for name, condition in row_wise %}
        count(*) filter (where {{ condition }}) as check_{{ loop.index }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
)
{%- endif %}
{{ parts | join("\nunion all\n") }}

{% endtest %}
