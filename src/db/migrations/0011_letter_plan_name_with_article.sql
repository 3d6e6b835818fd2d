-- A school's stored letter templates said "a {{plan.name}}", which reads "a SEN Support Plan" or "a IEP".
-- {{plan.nameWithArticle}} says "an SEN Support Plan", "an IEP", "a Pupil Provision Plan": the same
-- letter for every name a school gives its plans. Only the lower-case "a" before the field is changed
-- (a template that already says "an {{plan.name}}" was written for its school's name and stays), and a
-- changed template's version moves on, so a SENCo editing it at that moment is shown the new text.
UPDATE "letter_template"
SET
  "body" = regexp_replace("body", '\ma \{\{\s*plan\.name\s*\}\}', '{{plan.nameWithArticle}}', 'g'),
  "slip" = regexp_replace("slip", '\ma \{\{\s*plan\.name\s*\}\}', '{{plan.nameWithArticle}}', 'g'),
  "version" = "version" + 1
WHERE "body" ~ '\ma \{\{\s*plan\.name\s*\}\}' OR "slip" ~ '\ma \{\{\s*plan\.name\s*\}\}';
