-- What the end-to-end tests do in Neovim, one function per scenario. Each types and presses keys
-- as a user would and records what the buffer (and the plugin's windows) show afterwards; the
-- assertions live in test/e2e/nvim.test.ts.
local S = {}

local function ghost_marks()
  local ns = require('ghostline.ghost').namespace
  local marks = vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })
  local texts = {}
  for _, mark in ipairs(marks) do
    local details = mark[4] or {}
    local parts = {}
    for _, chunk in ipairs(details.virt_text or {}) do
      table.insert(parts, chunk[1])
    end
    for _, line in ipairs(details.virt_lines or {}) do
      local pieces = {}
      for _, chunk in ipairs(line) do
        table.insert(pieces, chunk[1])
      end
      table.insert(parts, '\n' .. table.concat(pieces))
    end
    table.insert(texts, table.concat(parts))
  end
  return texts
end

--- <C-x><C-u> after `corner.` + `x`, and in CSS after `margin-to`, where Vim's keyword
--- (`margin-to`) and the server's word (`to`) differ: the item's range decides.
function S.completion(T)
  T.client()
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  T.feed('A')
  T.feed('x')
  T.feed('<C-x><C-u>')
  T.wait('the completion popup', function()
    return vim.fn.pumvisible() == 1
  end)
  T.record('popup', vim.tbl_map(function(item)
    return item.word
  end, vim.fn.complete_info({ 'items' }).items))
  T.feed('<C-y>')
  T.feed('<Esc>')
  T.record('ts', T.lines())
  T.record('accepted_after_ts', T.wait('the accept to reach the server', function()
    local stats = T.stats()
    return stats.accepted and stats.accepted >= 1 and stats.accepted
  end))

  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('GHOSTLINE_E2E_CSS')))
  T.client()
  T.record('css_iskeyword_has_dash', vim.bo.iskeyword:find('-', 1, true) ~= nil)
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  T.feed('A')
  T.feed('<C-x><C-u>')
  T.wait('the css completion popup', function()
    return vim.fn.pumvisible() == 1
  end)
  T.feed('<C-y>')
  T.feed('<Esc>')
  T.record('css', T.lines())
end

--- A multi-line completion item: the popup shows its first line, accepting inserts every line.
function S.multiline(T)
  T.client()
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  T.feed('A')
  T.feed('<C-x><C-u>')
  T.wait('the completion popup', function()
    return vim.fn.pumvisible() == 1
  end)
  T.record('popup', vim.tbl_map(function(item)
    return item.word
  end, vim.fn.complete_info({ 'items' }).items))
  T.feed('<C-y>')
  T.record('cursor', vim.api.nvim_win_get_cursor(0))
  T.feed('<Esc>')
  T.record('lines', T.lines())
end

--- Ghost text while typing: shown as an extmark, accepted word by word, then whole; a second
--- suggestion dismissed. Accepts reach the server as `ghostline.accept`.
function S.ghost(T)
  T.client()
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  T.feed('A')
  T.feed('r')
  T.wait('ghost text', function()
    return #ghost_marks() > 0
  end)
  T.record('ghost', ghost_marks())
  T.record('before_accept', T.lines())
  T.feed('<M-w>')
  T.record('after_word', T.lines())
  T.record('ghost_after_word', ghost_marks())
  T.feed('<M-l>')
  T.record('after_accept', T.lines())
  T.record('cursor_after_accept', vim.api.nvim_win_get_cursor(0))
  T.record('ghost_after_accept', ghost_marks())
  T.record('accepted', T.wait('the accept to reach the server', function()
    local stats = T.stats()
    return stats.accepted and stats.accepted >= 1 and stats.accepted
  end))

  -- A new line, a new suggestion, dismissed: the buffer keeps only what was typed.
  T.feed('<CR>')
  T.feed('r')
  T.wait('a second suggestion', function()
    return #ghost_marks() > 0
  end)
  T.feed('<C-]>')
  T.record('ghost_after_dismiss', ghost_marks())
  T.feed('<Esc>')
  T.record('after_dismiss', T.lines())
end

--- Picks the code action titled `wanted` when Neovim's menu (vim.ui.select) opens; records the menu.
local function choose(T, key, wanted)
  vim.ui.select = function(items, opts, on_choice)
    local titles = {}
    local picked
    for i, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(titles, title)
      if title == wanted and not picked then
        picked = i
      end
    end
    T.record(key, titles)
    on_choice(picked and items[picked] or nil, picked)
  end
end

local function stream_run(action)
  for _, run in pairs(require('ghostline.stream').runs) do
    if run.action == action then
      return run
    end
  end
end

--- Code actions from the native menu (resolved to an edit) and by name (streamed explanation).
function S.actions(T)
  T.client()
  local source = vim.api.nvim_get_current_buf()
  choose(T, 'menu', 'ghostline: Refactor')
  vim.cmd('2,8Ghostline actions')
  local before = table.concat(T.lines(source), '\n')
  T.wait('the refactor edit', function()
    return table.concat(T.lines(source), '\n') ~= before
  end, 30000)
  T.record('refactored', T.lines(source))
  T.record('progress', vim.tbl_map(function(report)
    return { title = report.title, done = report.done }
  end, require('ghostline.progress').history))

  local after_refactor = T.lines(source)
  vim.cmd('2,7Ghostline action explain')
  local run = T.wait('the explanation to finish streaming', function()
    local r = stream_run('explain')
    return r and r.done and r or nil
  end, 30000)
  T.record('stream_lines', T.lines(run.buf))
  T.record('stream_state', vim.b[run.buf].ghostline_stream_state)
  T.record('stream_window_floating', run.win ~= nil and vim.api.nvim_win_is_valid(run.win) and vim.api.nvim_win_get_config(run.win).relative ~= '')
  T.record('stream_notifications', run.notifications)
  T.record('unchanged_by_explain', vim.deep_equal(T.lines(source), after_refactor))
end

function S.health(T)
  T.client()
  local source = vim.api.nvim_get_current_buf()
  vim.cmd('checkhealth ghostline')
  T.record('health', T.lines())

  -- lsp/ghostline.lua (for 0.11's vim.lsp.enable) loads here too; its root_dir picks the project
  -- root for a file buffer and declines a help buffer.
  local lsp_config = dofile(vim.api.nvim_get_runtime_file('lsp/ghostline.lua', false)[1])
  local roots = {}
  lsp_config.root_dir(source, function(dir)
    table.insert(roots, dir)
  end)
  T.record('lsp_config', { cmd = lsp_config.cmd, name = lsp_config.name, roots = roots, stream = lsp_config.capabilities.experimental.ghostlineStream })

  -- The help file works as shipped: `:help ghostline` finds the committed doc/tags.
  vim.cmd('help ghostline')
  T.record('help_main_line', vim.api.nvim_get_current_line())
  T.record('help_main_file', vim.fn.expand('%:p'))
  vim.cmd('help ghostline-setup')
  T.record('help_line', vim.api.nvim_get_current_line())
  -- The committed tags are the ones Neovim builds from the help file (built in a copy, to leave
  -- the plugin directory as shipped).
  local plugin_doc = vim.api.nvim_get_runtime_file('doc/ghostline.txt', false)[1]
  local copy = vim.fn.tempname()
  vim.fn.mkdir(copy .. '/doc', 'p')
  vim.fn.writefile(vim.fn.readfile(plugin_doc), copy .. '/doc/ghostline.txt')
  vim.cmd('helptags ' .. vim.fn.fnameescape(copy .. '/doc'))
  T.record('help_tags_current', vim.deep_equal(vim.fn.readfile(copy .. '/doc/tags'), vim.fn.readfile(vim.fn.fnamemodify(plugin_doc, ':h') .. '/tags')))
  local declined = true
  lsp_config.root_dir(vim.api.nvim_get_current_buf(), function()
    declined = false
  end)
  T.record('lsp_config_declines_help', declined)
end

-- :checkhealth ghostline when the server command is not installed: the advice it gives.
function S.health_missing(T)
  vim.cmd('checkhealth ghostline')
  T.record('health', T.lines())
end

-- What lands in Neovim's lsp.log from the server's stderr during a session (a stats round trip
-- after attaching, so the server has started, initialized and answered).
function S.log(T)
  local client = T.client()
  T.stats()
  T.record('server_env_level', (client.config.cmd_env or {}).GHOSTLINE_LOG_LEVEL or vim.NIL)
  local path = vim.lsp.get_log_path()
  local lines = vim.fn.filereadable(path) == 1 and vim.fn.readfile(path) or {}
  T.record('stderr_errors', vim.tbl_filter(function(line)
    return line:find('[ERROR]', 1, true) ~= nil and line:find('stderr', 1, true) ~= nil
  end, lines))
end

return S
