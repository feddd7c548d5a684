<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

use Illuminate\Database\Schema\Blueprint;
use WHMCS\Database\Capsule;

/**
 * The WHMCS tables the module touches, with the columns it reads, on SQLite: in memory for PHPUnit, in
 * a file for the page shell (tests/Shell), which serves each request in a new process. Column names and
 * value spellings follow WHMCS's schema as public modules and WHMCS's docs show it.
 */
final class WhmcsDatabase
{
    public static function install(string $database = ':memory:'): void
    {
        if ($database !== ':memory:' && !is_file($database)) {
            touch($database);
        }
        $capsule = new Capsule();
        $capsule->addConnection(['driver' => 'sqlite', 'database' => $database, 'prefix' => '']);
        $capsule->setAsGlobal();
        // The shell's pages and its setup commands are separate processes on one file.
        Capsule::connection()->statement('PRAGMA busy_timeout = 10000');
        $schema = Capsule::schema();
        if ($schema->hasTable('tblconfiguration')) {
            return;
        }

        $schema->create('tblconfiguration', static function (Blueprint $table) {
            $table->string('setting')->primary();
            $table->text('value');
        });
        $schema->create('tbladmins', static function (Blueprint $table) {
            $table->increments('id');
            $table->string('username');
            $table->string('language')->default('english');
        });
        $schema->create('tblclients', static function (Blueprint $table) {
            $table->increments('id');
            $table->string('firstname');
            $table->string('lastname');
            $table->string('email');
            $table->string('language')->default('');
            $table->unsignedInteger('currency')->default(0);
        });
        $schema->create('tblcurrencies', static function (Blueprint $table) {
            $table->increments('id');
            $table->string('code');
            $table->string('prefix')->default('');
            $table->string('suffix')->default('');
            $table->boolean('default')->default(false);
        });
        $schema->create('tblservers', static function (Blueprint $table) {
            $table->increments('id');
            $table->string('name');
            $table->string('ipaddress')->default('');
            $table->string('hostname')->default('');
            $table->string('port')->default('');
            $table->string('secure')->default('');
            $table->string('username')->default('');
            $table->text('password');
            $table->text('accesshash')->default('');
            $table->string('type');
            $table->boolean('disabled')->default(false);
        });
        $schema->create('tblproducts', static function (Blueprint $table) {
            $table->increments('id');
            $table->string('type')->default('other');
            $table->string('name');
            $table->string('paytype')->default('recurring');
            $table->string('servertype')->default('');
            for ($slot = 1; $slot <= 24; $slot++) {
                $table->text("configoption$slot")->default('');
            }
        });
        $schema->create('tblhosting', static function (Blueprint $table) {
            $table->unsignedBigInteger('id')->primary();
            $table->unsignedInteger('userid');
            $table->unsignedInteger('packageid');
            $table->unsignedInteger('server');
            $table->date('regdate');
            $table->string('domain')->default('');
            $table->string('billingcycle');
            $table->string('nextduedate');
            $table->string('domainstatus');
            $table->string('username')->default('');
            $table->text('password');
            $table->string('dedicatedip')->default('');
            $table->text('suspendreason')->default('');
        });
        $schema->create('tbladdons', static function (Blueprint $table) {
            $table->increments('id');
            // The products the addon applies to, comma-separated ids.
            $table->text('packages')->default('');
            $table->string('name');
            $table->text('description')->default('');
            $table->string('billingcycle')->default('onetime');
            $table->boolean('hidden')->default(false);
            $table->boolean('retired')->default(false);
            $table->integer('weight')->default(0);
            $table->string('type')->default('other');
            $table->string('module')->default('');
            $table->boolean('autoactivate')->default(true);
        });
        $schema->create('tblhostingaddons', static function (Blueprint $table) {
            $table->increments('id');
            $table->unsignedBigInteger('hostingid');
            $table->unsignedInteger('addonid');
            $table->unsignedInteger('userid');
            $table->unsignedInteger('server')->default(0);
            $table->unsignedInteger('qty')->default(1);
            $table->string('status')->default('Active');
            $table->string('billingcycle')->default('One Time');
        });
        $schema->create('tblmodule_configuration', static function (Blueprint $table) {
            $table->increments('id');
            $table->string('entity_type');
            $table->unsignedInteger('entity_id');
            $table->string('setting_name');
            $table->string('friendly_name');
            $table->text('value');
        });
        $schema->create('tblpricing', static function (Blueprint $table) {
            $table->increments('id');
            $table->string('type');
            $table->unsignedInteger('currency');
            $table->unsignedInteger('relid');
            foreach (['msetupfee', 'monthly', 'quarterly', 'semiannually', 'annually', 'biennially', 'triennially'] as $column) {
                // -1: the cycle is not offered.
                $table->decimal($column, 16, 2)->default(-1);
            }
        });
        $schema->create('tblinvoices', static function (Blueprint $table) {
            $table->increments('id');
            $table->unsignedInteger('userid');
            $table->string('status');
        });
        $schema->create('tblinvoiceitems', static function (Blueprint $table) {
            $table->increments('id');
            $table->unsignedInteger('invoiceid');
            $table->unsignedInteger('userid');
            $table->string('type');
            $table->unsignedBigInteger('relid');
            $table->text('description');
            $table->decimal('amount', 16, 2)->default(0);
        });
        Capsule::table('tblconfiguration')->insert(['setting' => 'Language', 'value' => 'english']);
        Capsule::table('tblcurrencies')->insert(['code' => 'USD', 'prefix' => '$', 'suffix' => ' USD', 'default' => true]);
    }

    /** A currency by id, or the default one. */
    public static function currency(int $id): object
    {
        return Capsule::table('tblcurrencies')->where('id', $id)->first()
            ?? Capsule::table('tblcurrencies')->where('default', true)->first();
    }

    /**
     * localAPI commands the module calls, as the WHMCS API reference documents their parameters.
     *
     * @param array<string, mixed> $values
     * @return array<string, mixed>
     */
    public static function localApi(string $command, array $values): array
    {
        if ($command !== 'UpdateClientProduct') {
            return ['result' => 'error', 'message' => "The stand-in does not know $command"];
        }
        $service = Capsule::table('tblhosting')->where('id', (int) ($values['serviceid'] ?? 0));
        if (!$service->exists()) {
            return ['result' => 'error', 'message' => 'Service ID Not Found'];
        }
        $columns = ['serviceusername' => 'username', 'dedicatedip' => 'dedicatedip', 'nextduedate' => 'nextduedate'];
        $changes = [];
        foreach ($columns as $parameter => $column) {
            if (array_key_exists($parameter, $values)) {
                $changes[$column] = (string) $values[$parameter];
            }
        }
        $service->update($changes);
        return ['result' => 'success', 'serviceid' => (int) $values['serviceid']];
    }
}
