" Drives paperls serve from Vim through ALE (its LSP client): diagnostics in the location list,
" definition, hover (to the preview window), completion. Reads PAPERLS_CMD (JSON list),
" PAPERLS_ROOT and PAPERLS_FILE; writes what the editor got to PAPERLS_OUT as JSON. Needs a
" terminal (the test gives it one with `script`): without one Vim reads its input to the end.
set nocompatible
let &runtimepath = '/usr/share/vim-ale,' . &runtimepath
let g:ale_enabled = 1
let g:ale_lint_on_enter = 1
let g:ale_set_loclist = 1
let g:ale_set_quickfix = 0
let g:ale_echo_cursor = 0
let g:ale_virtualtext_cursor = 0
let g:ale_linters = {'text': ['paperls']}
let g:ale_hover_to_preview = 1
let g:ale_completion_enabled = 0
runtime plugin/ale.vim
let s:cmd = json_decode($PAPERLS_CMD)
call ale#linter#Define('text', {
\   'name': 'paperls',
\   'lsp': 'stdio',
\   'executable': s:cmd[0],
\   'command': join(map(copy(s:cmd), {_, a -> shellescape(a)}), ' '),
\   'project_root': {b -> $PAPERLS_ROOT},
\})
let s:out = {'diagnostics': [], 'hover': '', 'definition': [], 'completion': []}
let s:start = reltime()
function! s:Write() abort
  call writefile([json_encode(s:out)], $PAPERLS_OUT)
  qa!
endfunction
function! s:Poll(timer) abort
  let l:items = getloclist(0)
  if len(l:items) >= 3 || reltimefloat(reltime(s:start)) > 40
    let s:out.diagnostics = map(copy(l:items), {_, d -> {'line': d.lnum - 1, 'message': d.text, 'type': d.type}})
    call s:Definition()
    return
  endif
  call timer_start(200, function('s:Poll'))
endfunction
function! s:Definition() abort
  call cursor(2, 20)
  ALEGoToDefinition
  call timer_start(1500, function('s:AfterDefinition'))
endfunction
function! s:AfterDefinition(timer) abort
  let s:out.definition = [{'file': expand('%:t'), 'line': line('.') - 1}]
  edit $PAPERLS_FILE
  call cursor(2, 20)
  call ale#hover#ShowAtCursor()
  call timer_start(1500, function('s:AfterHover'))
endfunction
function! s:AfterHover(timer) abort
  for l:w in range(1, winnr('$'))
    if getwinvar(l:w, '&previewwindow')
      let s:out.hover = join(getbufline(winbufnr(l:w), 1, '$'), "\n")
    endif
  endfor
  pclose
  call append(line('$'), 'Abstract:We train sparse auto')
  call cursor(line('$'), 30)
  " ALE hands results on only in insert mode; this harness types nothing, so it says it is.
  call ale#util#Mode()
  function! ale#util#Mode(...) abort
    return 'i'
  endfunction
  call ale#completion#GetCompletions('ale-callback', {'callback': function('s:Completed')})
  call timer_start(3000, function('s:AfterCompletion'))
endfunction
function! s:Completed(items) abort
  let s:out.completion = map(copy(a:items), {_, c -> type(c) == v:t_dict ? get(c, 'word', '') : c})
endfunction
function! s:AfterCompletion(timer) abort
  call s:Write()
endfunction
edit $PAPERLS_FILE
set filetype=text
call timer_start(500, function('s:Poll'))
