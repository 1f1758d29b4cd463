@echo off
rem jbang.cmd - JBang for this course on Windows, with nothing to install but a JDK 17+.
rem
rem   jbang lab up                  start the embedded lab
rem   jbang lessons\00_lab.java     run a lesson
rem   jbang kafka-topics --help     Kafka's own CLI tools (aliases in jbang-catalog.json)
rem
rem Uses the `jbang` on your PATH if you have one. Otherwise it fetches JBang from Maven Central
rem once, with the project's own Maven Wrapper, into .jbang-bootstrap\<version>\ and runs it from
rem there, speaking JBang's launcher protocol: JBang's stdout goes to a file; exit code 255 means
rem "its first line is a command line: run it", any other code is passed on with the output.
rem
rem Environment: JAVA_HOME (the JDK to use, else java on the PATH), JBANG_JAVA_OPTIONS (extra JVM
rem options for JBang itself), KIP_JBANG_BOOTSTRAP=1 (ignore any jbang on the PATH).

setlocal EnableExtensions DisableDelayedExpansion

rem keep in step with tools\jbang\pom.xml and .\jbang
set "JBANG_VERSION=0.132.1"
set "BASE_DIR=%~dp0"
if "%BASE_DIR:~-1%"=="\" set "BASE_DIR=%BASE_DIR:~0,-1%"
set "SELF=%~f0"
set "NEED_JDK=JBang needs a JDK 17+: install one and/or set JAVA_HOME"

rem UTF-8 console while JBang and the program run (restored at the end), as the official jbang.cmd
set "ORIGINAL_CP="
if /i not "%JBANG_WIN_UTF8%"=="false" (
  for /f "tokens=2 delims=:" %%G in ('chcp') do set /a ORIGINAL_CP=%%G 2>nul
  chcp 65001 >nul
)

rem --- 0. this project's aliases work from any directory --------------------------------------
rem JBang looks an alias up in the jbang-catalog.json nearest to the current directory, and a file
rem or folder of the same name wins over an alias (`jbang lab up` in the repo root would try to
rem run the folder lab\). So when the script reference (the first argument, or the second after
rem `run` / `build`) is an alias of this project's catalog and not a runnable file, it is passed
rem on as <alias>@<this folder>. Only then are the arguments rebuilt; otherwise %* goes unchanged.
set "REWRITTEN="
set "PREFIX="
set "REF=%~1"
if /i "%~1"=="run" (set "PREFIX=%1" & set "REF=%~2")
if /i "%~1"=="build" (set "PREFIX=%1" & set "REF=%~2")
call :is_project_alias
if not defined IS_ALIAS goto :args_done
set "REWRITTEN=%PREFIX% "%REF%@%BASE_DIR%""
shift
if defined PREFIX shift
:collect_args
if [%1]==[] goto :args_done
set "REWRITTEN=%REWRITTEN% %1"
shift
goto :collect_args
:args_done

rem --- 1. a real `jbang` on the PATH wins (not this file; not when it already called us) ---------
if defined KIP_JBANG_BOOTSTRAP goto :find_java
if defined KIP_JBANG_WRAPPER goto :find_java
for /f "delims=" %%P in ('where jbang.cmd jbang.exe jbang.bat 2^>nul') do (
  if /i not "%%~fP"=="%SELF%" (
    set "KIP_JBANG_WRAPPER=1"
    set "PATH_JBANG=%%~fP"
    goto :use_path_jbang
  )
)
goto :find_java

:use_path_jbang
if defined REWRITTEN goto :path_jbang_rewritten
call "%PATH_JBANG%" %*
set "ERR=%ERRORLEVEL%"
goto :end
:path_jbang_rewritten
call "%PATH_JBANG%" %REWRITTEN%
set "ERR=%ERRORLEVEL%"
goto :end

rem --- 2. a JDK 17+ --------------------------------------------------------------------------------
:find_java
set "JAVA_EXE="
set "JDK_HOME="
if not defined JAVA_HOME goto :java_from_path
if exist "%JAVA_HOME%\bin\java.exe" (
  set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
  set "JDK_HOME=%JAVA_HOME%"
  goto :check_java
)
echo jbang: JAVA_HOME (%JAVA_HOME%) has no bin\java.exe; trying java on the PATH 1>&2
:java_from_path
for /f "delims=" %%J in ('where java.exe 2^>nul') do (
  set "JAVA_EXE=%%~fJ"
  for %%H in ("%%~dpJ..") do set "JDK_HOME=%%~fH"
  goto :check_java
)
echo jbang: %NEED_JDK% (no java found) 1>&2
set "ERR=1"
goto :end

:check_java
rem A cheap check (no JVM started): javac next to java (or on the PATH), the JDK's `release` file
if exist "%JDK_HOME%\bin\javac.exe" goto :check_version
where javac.exe >nul 2>&1
if errorlevel 1 (
  echo jbang: %NEED_JDK% ^(found a Java runtime without javac at %JAVA_EXE%^) 1>&2
  set "ERR=1"
  goto :end
)
rem java.exe is a launcher stub (e.g. Oracle's javapath): leave JAVA_HOME to Maven as it is
set "JDK_HOME="
goto :bootstrap
:check_version
if not exist "%JDK_HOME%\release" goto :bootstrap
set "JAVA_RELEASE="
set "JAVA_MAJOR="
for /f "usebackq tokens=1,2 delims==" %%K in ("%JDK_HOME%\release") do if "%%K"=="JAVA_VERSION" set "JAVA_RELEASE=%%~L"
if not defined JAVA_RELEASE goto :bootstrap
for /f "tokens=1 delims=." %%M in ("%JAVA_RELEASE%") do set "JAVA_MAJOR=%%M"
if not defined JAVA_MAJOR goto :bootstrap
if %JAVA_MAJOR% LSS 17 (
  echo jbang: %NEED_JDK% ^(found Java %JAVA_RELEASE% at %JAVA_EXE%^) 1>&2
  set "ERR=1"
  goto :end
)

rem --- 3. JBang itself: fetched once from Maven Central -------------------------------------------
:bootstrap
set "JBANG_DIR=%BASE_DIR%\.jbang-bootstrap\%JBANG_VERSION%"
if exist "%JBANG_DIR%\jbang-cli-%JBANG_VERSION%.jar" goto :run_jbang
echo Fetching JBang %JBANG_VERSION% from Maven Central (first run only)... 1>&2
if not exist "%BASE_DIR%\mvnw.cmd" (
  echo jbang: cannot fetch JBang: %BASE_DIR%\mvnw.cmd is missing 1>&2
  set "ERR=1"
  goto :end
)
if not exist "%BASE_DIR%\.jbang-bootstrap" mkdir "%BASE_DIR%\.jbang-bootstrap"
rem Download into a private folder and rename it into place only when complete, so an interrupted
rem or concurrent first run never leaves a half-filled JBang behind.
set "TMP_DIR=%BASE_DIR%\.jbang-bootstrap\.tmp-%JBANG_VERSION%-%RANDOM%%RANDOM%"
set "MVN_JAVA_HOME=%JAVA_HOME%"
if defined JDK_HOME set "MVN_JAVA_HOME=%JDK_HOME%"
pushd "%BASE_DIR%"
setlocal
set "JAVA_HOME=%MVN_JAVA_HOME%"
call "%BASE_DIR%\mvnw.cmd" -B -q -f tools\jbang\pom.xml dependency:copy-dependencies "-Djbang.version=%JBANG_VERSION%" -DincludeScope=runtime "-DoutputDirectory=%TMP_DIR%" > "%TMP_DIR%.log" 2>&1
endlocal
popd
if not exist "%TMP_DIR%\jbang-cli-%JBANG_VERSION%.jar" (
  type "%TMP_DIR%.log" 1>&2
  echo jbang: could not fetch JBang %JBANG_VERSION% with mvnw.cmd ^(is Maven Central reachable?^) 1>&2
  if exist "%TMP_DIR%" rmdir /s /q "%TMP_DIR%"
  del /f /q "%TMP_DIR%.log" >nul 2>&1
  set "ERR=1"
  goto :end
)
del /f /q "%TMP_DIR%.log" >nul 2>&1
rem (a concurrent first run may have finished meanwhile: then keep its copy)
if exist "%JBANG_DIR%\jbang-cli-%JBANG_VERSION%.jar" (
  rmdir /s /q "%TMP_DIR%"
  goto :run_jbang
)
if exist "%JBANG_DIR%" rmdir /s /q "%JBANG_DIR%"
move "%TMP_DIR%" "%JBANG_DIR%" >nul
if not exist "%JBANG_DIR%\jbang-cli-%JBANG_VERSION%.jar" (
  echo jbang: could not move JBang into %JBANG_DIR% 1>&2
  set "ERR=1"
  goto :end
)

rem --- 4. run JBang ---------------------------------------------------------------------------------
:run_jbang
rem JBang quotes the command line it prints for cmd, and scripts can call JBang again through us
set "JBANG_RUNTIME_SHELL=cmd"
set "JBANG_LAUNCH_CMD=%SELF%"
timeout /t 0 >nul 2>nul && (set "JBANG_STDIN_NOTTY=false") || (set "JBANG_STDIN_NOTTY=true")
:pick_out_file
set "OUT_FILE=%BASE_DIR%\.jbang-bootstrap\out-%RANDOM%%RANDOM%.tmp"
if exist "%OUT_FILE%" goto :pick_out_file

rem JBang's own JVM lives for well under a second: the C1 compiler alone starts it faster.
rem Options in JBANG_JAVA_OPTIONS come later and win.
rem (no parentheses around these lines: a `)` among the arguments would end the block)
if defined REWRITTEN goto :run_rewritten
"%JAVA_EXE%" -XX:TieredStopAtLevel=1 %JBANG_JAVA_OPTIONS% -classpath "%JBANG_DIR%\*" dev.jbang.Main %* > "%OUT_FILE%"
set "ERR=%ERRORLEVEL%"
goto :jbang_done
:run_rewritten
"%JAVA_EXE%" -XX:TieredStopAtLevel=1 %JBANG_JAVA_OPTIONS% -classpath "%JBANG_DIR%\*" dev.jbang.Main %REWRITTEN% > "%OUT_FILE%"
set "ERR=%ERRORLEVEL%"
:jbang_done

if not "%ERR%"=="255" goto :pass_output
rem JBang wrote the command to run (quoted for cmd) as the first line: run it
set "COMMAND_LINE="
for /f "usebackq delims=" %%L in ("%OUT_FILE%") do if not defined COMMAND_LINE set "COMMAND_LINE=%%L"
del /f /q "%OUT_FILE%" >nul 2>&1
if not defined COMMAND_LINE (
  echo jbang: JBang asked to run a command but gave none 1>&2
  set "ERR=1"
  goto :end
)
%COMMAND_LINE%
set "ERR=%ERRORLEVEL%"
goto :end

:pass_output
type "%OUT_FILE%"
del /f /q "%OUT_FILE%" >nul 2>&1
goto :end

rem --- helpers ------------------------------------------------------------------------------------

rem Sets IS_ALIAS when REF is a plain name, is not a file or a folder with main.java, and names
rem an alias in this project's jbang-catalog.json.
:is_project_alias
set "IS_ALIAS="
if "%REF%"=="" exit /b 0
if not exist "%BASE_DIR%\jbang-catalog.json" exit /b 0
for %%N in (catalogs aliases templates) do if /i "%REF%"=="%%N" exit /b 0
echo(%REF%| findstr /r /x "[abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789][abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-]*" >nul || exit /b 0
if exist "%REF%\main.java" exit /b 0
if exist "%REF%" if not exist "%REF%\" exit /b 0
findstr /r /c:"\"%REF%\"[ ]*:[ ]*{" "%BASE_DIR%\jbang-catalog.json" >nul || exit /b 0
set "IS_ALIAS=1"
exit /b 0

:end
if defined ORIGINAL_CP chcp %ORIGINAL_CP% >nul
endlocal & exit /b %ERR%
