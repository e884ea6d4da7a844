<?php
// What a real Moodle holds for one learner in one SCORM activity, as JSON (our test helper).
//
//   php scorm_state.php --moodle=DIR --scormid=N --userid=N [--set=grademethod:1,maxgrade:100]
//
// --set changes activity settings first, through Moodle's own update path for the grade
// (scorm_update_grades), as a teacher saving the activity form would: grademethod
// (0 learning objects, 1 highest, 2 average, 3 sum), maxgrade, masteryoverride, maxattempt,
// forcenewattempt, whatgrade.
// Prints: the stored rows (scorm_attempt JOIN scorm_scoes_value JOIN scorm_element), Moodle's
// reading per SCO (scorm_get_tracks), scorm_grade_user() under each grading method (the
// activity object is copied, nothing is saved), the gradebook value and completion state.
define('CLI_SCRIPT', true);
$opts = ['moodle' => '/opt/moodle/src', 'scormid' => '0', 'userid' => '0', 'set' => ''];
foreach (array_slice($argv, 1) as $arg) {
    if (preg_match('/^--([a-z]+)=(.*)$/s', $arg, $m) && array_key_exists($m[1], $opts)) {
        $opts[$m[1]] = $m[2];
    } else {
        fwrite(STDERR, "unknown argument: $arg\n");
        exit(2);
    }
}
require($opts['moodle'] . '/config.php');
require_once($CFG->dirroot . '/mod/scorm/lib.php');
require_once($CFG->dirroot . '/mod/scorm/locallib.php');
require_once($CFG->libdir . '/gradelib.php');
require_once($CFG->libdir . '/completionlib.php');
// a failure names its cause (the SQL error, not only « Error writing to database »)
set_exception_handler(function (Throwable $e) {
    fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n"
        . (property_exists($e, 'debuginfo') ? $e->debuginfo . "\n" : '') . $e->getTraceAsString() . "\n");
    exit(1);
});

$scorm = $DB->get_record('scorm', ['id' => (int)$opts['scormid']], '*', MUST_EXIST);
$userid = (int)$opts['userid'];
$allowed = ['grademethod', 'maxgrade', 'masteryoverride', 'maxattempt', 'forcenewattempt', 'whatgrade'];
if ($opts['set'] !== '') {
    foreach (explode(',', $opts['set']) as $pair) {
        [$name, $value] = explode(':', $pair, 2);
        if (!in_array($name, $allowed, true)) {
            fwrite(STDERR, "setting not allowed: $name\n");
            exit(2);
        }
        $scorm->$name = $value;
    }
    $DB->update_record('scorm', $scorm);
    $cm = get_coursemodule_from_instance('scorm', $scorm->id, $scorm->course, false, MUST_EXIST);
    $scorm->cmidnumber = $cm->idnumber;
    scorm_grade_item_update($scorm);
    scorm_update_grades($scorm, $userid);
}

$out = ['version' => $scorm->version, 'settings' => [], 'attempts' => [], 'scoes' => []];
foreach ($allowed as $name) {
    $out['settings'][$name] = $scorm->$name;
}
$rows = $DB->get_records_sql(
    "SELECT v.id, a.attempt, v.scoid, e.element, v.value
       FROM {scorm_attempt} a
       JOIN {scorm_scoes_value} v ON v.attemptid = a.id
       JOIN {scorm_element} e ON e.id = v.elementid
      WHERE a.scormid = ? AND a.userid = ?
   ORDER BY a.attempt, v.scoid, e.element", [$scorm->id, $userid]);
foreach ($rows as $r) {
    $out['attempts'][(string)$r->attempt][(string)$r->scoid][$r->element] = $r->value;
}
foreach ($DB->get_records('scorm_scoes', ['scorm' => $scorm->id], 'sortorder, id') as $sco) {
    if ($sco->launch === '') {
        continue;
    }
    $t = scorm_get_tracks($sco->id, $userid);
    $out['scoes'][] = ['id' => (int)$sco->id, 'identifier' => $sco->identifier,
        'status' => $t ? $t->status : null, 'score_raw' => $t ? $t->score_raw : null,
        'total_time' => $t ? $t->total_time : null,
        'success_status' => ($t && isset($t->{'cmi.success_status'})) ? $t->{'cmi.success_status'} : null];
}
$methods = [GRADESCOES => 'learning objects', GRADEHIGHEST => 'highest', GRADEAVERAGE => 'average',
    GRADESUM => 'sum'];
$out['grades'] = [];
foreach ($methods as $method => $label) {
    $copy = clone $scorm;
    $copy->grademethod = $method;
    $out['grades'][$label] = $rows ? (float)scorm_grade_user($copy, $userid) : null;
}
$gg = grade_get_grades($scorm->course, 'mod', 'scorm', $scorm->id, $userid);
$grade = $gg->items[0]->grades[$userid] ?? null;
$out['gradebook'] = ($grade && $grade->grade !== null) ? (float)$grade->grade : null;
$out['gradebook_max'] = isset($gg->items[0]) ? (float)$gg->items[0]->grademax : null;
$cm = get_coursemodule_from_instance('scorm', $scorm->id, $scorm->course, false, MUST_EXIST);
$completion = new completion_info(get_course($scorm->course));
$state = (int)$completion->get_data($cm, false, $userid)->completionstate;
$out['completion'] = [COMPLETION_INCOMPLETE => 'incomplete', COMPLETION_COMPLETE => 'complete',
    COMPLETION_COMPLETE_PASS => 'complete-pass', COMPLETION_COMPLETE_FAIL => 'complete-fail'][$state] ?? (string)$state;
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n";
