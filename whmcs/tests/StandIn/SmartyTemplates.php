<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

/**
 * The module's templates rendered by Debian's Smarty 3 or 4 the way WHMCS runs Smarty: the module's
 * folder as the template directory, escape_html off (WHMCS's default, so templates escape themselves).
 * Stricter than WHMCS on purpose: an undefined variable or key, or a warning in a template, is an error.
 * Both versions define the class Smarty, so one process loads one of them.
 */
final class SmartyTemplates
{
    public const MODULE_DIR = __DIR__ . '/../../modules/servers/vpnflow';

    /** Debian's packages smarty3 and smarty4. */
    private const ENTRY_FILES = [
        3 => '/usr/share/php/smarty3/Smarty.class.php',
        4 => '/usr/share/php/smarty4/bootstrap.php',
    ];

    public static function load(int $version): void
    {
        $file = self::ENTRY_FILES[$version] ?? '';
        if (!is_file($file)) {
            throw new \RuntimeException("Smarty $version is missing ($file): install Debian's smarty$version (apt-get install smarty$version)");
        }
        require_once $file;
    }

    /**
     * @param string $templatefile as a module returns it, e.g. `templates/clientarea`
     * @param array<string, mixed> $vars
     */
    public static function render(string $templatefile, array $vars): string
    {
        $smarty = new \Smarty();
        $smarty->setTemplateDir(self::MODULE_DIR);
        // Compiled afresh every time: Smarty's own check compares whole seconds and would miss an edit.
        $smarty->force_compile = true;
        $smarty->setCompileDir(sys_get_temp_dir() . '/vpnflow-smarty-' . \Smarty::SMARTY_VERSION);
        $smarty->error_unassigned = true;
        $smarty->assign($vars);
        set_error_handler(static function (int $level, string $message, string $file, int $line): bool {
            // Smarty 3.1 and the code it compiles set dynamic properties, deprecated on PHP 8.2; a
            // deprecation the template itself causes still counts.
            $smartys = str_starts_with($file, '/usr/share/php/') || str_starts_with($message, 'Creation of dynamic property Smarty_');
            if (in_array($level, [E_DEPRECATED, E_USER_DEPRECATED], true) && $smartys) {
                return true;
            }
            throw new \ErrorException($message, 0, $level, $file, $line);
        });
        try {
            return $smarty->fetch("$templatefile.tpl");
        } finally {
            restore_error_handler();
        }
    }
}
