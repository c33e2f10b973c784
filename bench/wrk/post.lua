-- Comment submission: every request posts a new, unique comment (a duplicate would be refused).
-- wrk args: <path> <url-encoded form fields without body> <body marker>
function init(args)
  statuses = {}
  post_path, post_fields, marker = args[1], args[2], args[3]
  counter = 0
end

function request()
  counter = counter + 1
  local body = post_fields .. "&body=" .. marker .. "-t" .. tid .. "-" .. counter
  return wrk.format("POST", post_path, nil, body)
end
